/**
 * Is a token that just got a 403 still valid? A 403 means either "this token is revoked or
 * expired" or "this token's policies do not allow that path", and Vault's error text does not
 * reliably tell them apart across versions. `auth/token/lookup-self` (allowed by the `default`
 * policy) does: only a dead token is refused. This keeps a template that reads a forbidden
 * path from causing a login per retry.
 */
import { VaultError, type VaultClient } from '../vault/vault-api.js';

export type TokenVerdict = 'valid' | 'invalid' | 'unknown';

export async function checkToken(client: VaultClient, token: string, namespace: string | undefined, signal: AbortSignal): Promise<TokenVerdict> {
  try {
    await client.request({ method: 'GET', path: 'auth/token/lookup-self', token, namespace, signal });
    return 'valid';
  } catch (error) {
    return error instanceof VaultError && error.isPermissionDenied ? 'invalid' : 'unknown';
  }
}
