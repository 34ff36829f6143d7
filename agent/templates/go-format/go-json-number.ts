/**
 * How a number from Vault prints in a Go template, and in Go's JSON.
 *
 * Vault's Go API client decodes responses with `UseNumber`, so consul-template never sees a
 * float64: a number is a `json.Number` — the literal text of the response — and both `%v` and
 * `toJSON` print that text unchanged (measured against `bao agent`: `100000000` stays
 * `100000000`, not `%g`'s `1e+08`). The text is what the server's encoding/json wrote for a
 * float64 or an integer: the shortest digits that round-trip, in fixed notation from 1e-6 up to
 * 1e21 and as `1e+21` / `1e-7` outside it. That is exactly JavaScript's `Number#toString`, except
 * that Go keeps the sign of negative zero.
 *
 * One case cannot be reproduced from a parsed number: KV v1 returns numbers as they were written
 * (`1.0`, `1e2`, integers beyond 2^53), and JSON.parse keeps only the value. Such values print
 * in their canonical form here.
 */
export function formatGoJsonNumber(value: number): string {
  if (!Number.isFinite(value)) throw new TypeError('a JSON number must be finite');
  return Object.is(value, -0) ? '-0' : String(value);
}
