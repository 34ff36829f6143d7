/**
 * `approle`: `PUT <mount>/login {role_id, secret_id}`. Both files are read at every login and
 * cached; a missing or empty file means the cached value is used (Vault Agent's rule). Without
 * `secretIdFilePath` only the role ID is sent (a role with `bind_secret_id=false`).
 *
 * A response-wrapped secret ID (`secretIdResponseWrappingPath`) is checked with
 * `sys/wrapping/lookup` — it must have been created at that path, or someone else could have
 * wrapped a secret ID of their choosing — then unwrapped. Unlike Vault Agent, a wrapping token
 * already unwrapped is not unwrapped again (it is single-use, so a re-login with the same file
 * would fail): its secret ID is remembered.
 */
import type { AppRoleAuth } from '../../../contract/agent-config/index.js';
import type { Logger } from '../../observe/logger.js';
import type { VaultClient } from '../../vault/vault-api.js';
import { AuthError, AuthErrorCode, authResultFromLogin } from '../auth-result.js';
import { CachedCredential } from '../credential-file.js';
import { loginPath, type LoginMethod } from './login-method.js';

export function createAppRoleLogin(auth: AppRoleAuth, logger: Logger): LoginMethod {
  const path = loginPath(auth.mountPath);
  const roleId = new CachedCredential({ path: auth.roleIdFilePath, what: 'role ID', logger });
  const secretId =
    auth.secretIdFilePath === undefined
      ? undefined
      : new CachedCredential({
          path: auth.secretIdFilePath,
          what: 'secret ID',
          removeAfterReading: auth.removeSecretIdFileAfterReading,
          logger,
        });
  let unwrapped: { wrappingToken: string; secretId: string } | undefined;

  async function resolveSecretId(client: VaultClient, value: string, signal: AbortSignal | undefined): Promise<string> {
    const wrappingPath = auth.secretIdResponseWrappingPath;
    if (wrappingPath === undefined) return value;
    if (unwrapped?.wrappingToken === value) return unwrapped.secretId;
    const secret = await unwrapSecretId(client, value, wrappingPath, auth.namespace, signal);
    unwrapped = { wrappingToken: value, secretId: secret };
    return secret;
  }

  return {
    name: auth.method,
    async login(client, signal) {
      const body: Record<string, unknown> = { ...auth.extra, role_id: await roleId.read() };
      if (secretId !== undefined) body.secret_id = await resolveSecretId(client, await secretId.read(), signal);
      return authResultFromLogin(await client.request({ method: 'PUT', path, body, namespace: auth.namespace, signal }), `PUT ${path}`);
    },
    close: async () => {},
  };
}

const trimSlashes = (path: string) => path.replace(/^\/+|\/+$/g, '');

async function unwrapSecretId(
  client: VaultClient,
  wrappingToken: string,
  expectedPath: string,
  namespace: string | undefined,
  signal: AbortSignal | undefined,
): Promise<string> {
  const lookup = await client.request({ method: 'PUT', path: 'sys/wrapping/lookup', body: { token: wrappingToken }, namespace, signal });
  const creationPath = lookup?.data?.creation_path;
  if (typeof creationPath !== 'string' || trimSlashes(creationPath) !== trimSlashes(expectedPath)) {
    const actual = typeof creationPath === 'string' ? creationPath : 'an unknown path';
    throw new AuthError(AuthErrorCode.wrappingPathMismatch, `the wrapped secret ID was created at ${actual}, not at ${expectedPath}`);
  }
  const answer = await client.request({ method: 'PUT', path: 'sys/wrapping/unwrap', token: wrappingToken, namespace, signal });
  const secretId = answer?.data?.secret_id;
  if (typeof secretId !== 'string' || secretId === '') {
    throw new AuthError(AuthErrorCode.unwrapNoSecretId, 'unwrapping the wrapped secret ID gave no secret_id');
  }
  return secretId;
}
