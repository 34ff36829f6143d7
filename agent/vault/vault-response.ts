/**
 * Vault's JSON envelope → {@link VaultSecret}. Pure. Only the envelope's own field names are
 * turned into camelCase; `data` and `auth.metadata` are the user's keys and pass through as they
 * are. Anything that is not a Vault envelope is refused, never guessed at.
 */
import { isJsonObject } from '../../contract/json-object.js';
import type { VaultAuth, VaultSecret } from './vault-api.js';

/** Thrown for a body that is not a Vault response; the client turns it into a `VAULT_BAD_RESPONSE`. */
export class NotAVaultResponse extends Error {
  override readonly name = 'NotAVaultResponse';
}



function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}

function secondsOr0(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}

function stringsOrNull(value: unknown): string[] | null {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : null;
}

function stringMapOrNull(value: unknown): Record<string, string> | null {
  if (!isJsonObject(value)) return null;
  const map: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) if (typeof item === 'string') map[key] = item;
  return map;
}

/** `snake_case` → `camelCase`, for envelope keys only. */
export function camelCaseKey(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

function mapAuth(auth: unknown): VaultAuth | null {
  if (!isJsonObject(auth)) return null;
  return {
    clientToken: stringOr(auth.client_token, ''),
    accessor: stringOr(auth.accessor, ''),
    policies: stringsOrNull(auth.policies) ?? [],
    tokenPolicies: stringsOrNull(auth.token_policies) ?? [],
    metadata: stringMapOrNull(auth.metadata),
    leaseDuration: secondsOr0(auth.lease_duration),
    renewable: auth.renewable === true,
  };
}

function mapWrapInfo(wrapInfo: unknown): Record<string, unknown> | null {
  if (!isJsonObject(wrapInfo)) return null;
  return Object.fromEntries(Object.entries(wrapInfo).map(([key, value]) => [camelCaseKey(key), value]));
}

/** Maps a parsed 2xx body. */
export function toVaultSecret(body: unknown): VaultSecret {
  if (!isJsonObject(body)) throw new NotAVaultResponse('the response body is not a JSON object');
  if (body.data !== undefined && body.data !== null && !isJsonObject(body.data)) {
    throw new NotAVaultResponse('the response field "data" is not an object');
  }
  return {
    requestId: stringOr(body.request_id, ''),
    leaseId: stringOr(body.lease_id, ''),
    leaseDuration: secondsOr0(body.lease_duration),
    renewable: body.renewable === true,
    data: isJsonObject(body.data) ? body.data : null,
    warnings: stringsOrNull(body.warnings),
    auth: mapAuth(body.auth),
    wrapInfo: mapWrapInfo(body.wrap_info),
  };
}

/** Parses a 2xx body; an empty body is an empty answer. */
export function parseSuccessBody(text: string): VaultSecret | undefined {
  if (text.trim() === '') return undefined;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new NotAVaultResponse('the response body is not JSON');
  }
  return toVaultSecret(body);
}

/**
 * Vault's `errors[]` from an error body. A body that is not Vault's JSON (a proxy's HTML page, a
 * load balancer's text) gives none: it is not quoted, as nobody knows what it holds.
 */
export function parseErrorStrings(text: string): string[] {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return [];
  }
  if (!isJsonObject(body) || !Array.isArray(body.errors)) return [];
  return body.errors.filter((item): item is string => typeof item === 'string').map((item) => item.slice(0, 500));
}
