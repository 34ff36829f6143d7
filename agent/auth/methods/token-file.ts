/**
 * `token_file`: no login. The token in the file is used as it is; `auth/token/lookup-self` with
 * it gives its accessor, TTL and renewability. The file is read at every "login" (so a replaced
 * token is picked up) and the last token read is used while it is missing or empty. A token with
 * TTL 0 (a root token) never expires and is never renewed.
 */
import type { TokenFileAuth } from '../../../contract/agent-config/index.js';
import type { Logger } from '../../observe/logger.js';
import type { VaultSecret } from '../../vault/vault-api.js';
import { AuthError, AuthErrorCode, type AuthResult } from '../auth-result.js';
import { CachedCredential } from '../credential-file.js';
import type { LoginMethod } from './login-method.js';

const LOOKUP_SELF = 'auth/token/lookup-self';

export function createTokenFileLogin(auth: TokenFileAuth, logger: Logger): LoginMethod {
  const tokenFile = new CachedCredential({ path: auth.tokenFilePath, what: 'Vault token', logger });
  return {
    name: auth.method,
    async login(client, signal) {
      const token = await tokenFile.read();
      const lookup = await client.request({ method: 'GET', path: LOOKUP_SELF, token, namespace: auth.namespace, signal });
      return authResultFromLookup(lookup, token);
    },
    close: async () => {},
  };
}

/** `lookup-self` data: `id`, `accessor`, `ttl` (seconds left), `renewable`, `policies`. */
export function authResultFromLookup(lookup: VaultSecret | undefined, token: string): AuthResult {
  const data = lookup?.data;
  if (data === null || data === undefined) throw new AuthError(AuthErrorCode.noToken, `GET ${LOOKUP_SELF} answered without token data`);
  const ttl = typeof data.ttl === 'number' && data.ttl > 0 ? data.ttl : 0;
  return {
    token: typeof data.id === 'string' && data.id !== '' ? data.id : token,
    accessor: typeof data.accessor === 'string' ? data.accessor : '',
    leaseDurationSeconds: ttl,
    // Batch tokens say renewable: false; a token that never expires has nothing to renew.
    renewable: data.renewable === true && ttl > 0,
    policies: Array.isArray(data.policies) ? data.policies.filter((p): p is string => typeof p === 'string') : [],
  };
}
