/**
 * Go's `fmt` `%v` for data decoded from a Vault response (strings, `json.Number`, booleans,
 * nil, `[]interface{}`, `map[string]interface{}`), and what text/template prints for a value.
 */
import { formatGoJsonNumber } from './go-json-number.js';
import { goSortedKeys } from './go-string-order.js';

/**
 * `fmt.Sprint(value)` / `%v`: strings raw, nil as `<nil>`, lists as `[a b]`, maps as
 * `map[k1:v1 k2:v2]` with keys in Go's sorted order, nested values formatted the same way.
 */
export function formatGoValue(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      return formatGoJsonNumber(value);
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined':
      return '<nil>';
    case 'object':
      if (value === null) return '<nil>';
      if (Array.isArray(value)) return `[${value.map(formatGoValue).join(' ')}]`;
      return formatGoMap(value as Record<string, unknown>);
    default:
      throw new TypeError(`cannot format a ${typeof value} as a Go value`);
  }
}

function formatGoMap(map: Record<string, unknown>): string {
  const entries = goSortedKeys(map).map((key) => `${key}:${formatGoValue(map[key])}`);
  return `map[${entries.join(' ')}]`;
}

/**
 * What `{{ $v }}` writes in a Go template. text/template unwraps an `interface{}` before
 * printing, so a nil map value at the top level has no value at all and prints `<no value>`,
 * while a nil nested inside a map or list is printed by fmt as `<nil>` (both measured against
 * `bao agent`).
 */
export function formatGoTemplateValue(value: unknown): string {
  return value === null || value === undefined ? '<no value>' : formatGoValue(value);
}
