/**
 * Whether a refresh brought anything new. Vault Agent stores each answer with its per-request
 * `RequestID`, so every periodic re-read looks new and re-executes every template (vault#29507);
 * comparing without it lets unchanged secrets cost nothing past the read.
 */
import { isDeepStrictEqual } from 'node:util';
import type { SecretValue } from '../templates/template-engine.js';

export function isSameSecretValue(a: SecretValue | undefined, b: SecretValue | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return isDeepStrictEqual(withoutRequestId(a), withoutRequestId(b));
}

function withoutRequestId(value: SecretValue): unknown {
  if (value.kind !== 'secret') return value;
  const { requestId: _ignored, ...rest } = value.secret;
  return { kind: value.kind, secret: rest };
}
