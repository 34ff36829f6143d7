/**
 * `jwt`: `PUT <mount>/login {role, jwt}`. The JWT file is read at every login; when it is gone
 * or empty the last JWT read is used (Vault Agent caches it too). With `removeJwtAfterReading`
 * the file is also read every `jwtReadPeriodMs` (500 ms by default then), so a JWT dropped in
 * is taken and deleted promptly rather than at the next login.
 */
import type { JwtAuth } from '../../../contract/agent-config/index.js';
import { resolveJwtReadPeriodMs } from '../../../contract/agent-config/runtime.js';
import type { Logger } from '../../observe/logger.js';
import { authResultFromLogin } from '../auth-result.js';
import { CachedCredential } from '../credential-file.js';
import { loginPath, type LoginMethod } from './login-method.js';

export function createJwtLogin(auth: JwtAuth, logger: Logger): LoginMethod {
  const path = loginPath(auth.mountPath);
  const jwtFile = new CachedCredential({
    path: auth.path,
    what: 'JWT',
    removeAfterReading: auth.removeJwtAfterReading,
    removeFollowsSymlinks: auth.removeJwtFollowsSymlinks,
    logger,
  });
  let ticker: NodeJS.Timeout | undefined;
  if (auth.removeJwtAfterReading) {
    ticker = setInterval(() => void jwtFile.readFresh(), resolveJwtReadPeriodMs(auth));
    ticker.unref();
  }
  return {
    name: auth.method,
    async login(client, signal) {
      const jwt = await jwtFile.read();
      const body = { ...auth.extra, role: auth.role, jwt };
      return authResultFromLogin(await client.request({ method: 'PUT', path, body, namespace: auth.namespace, signal }), `PUT ${path}`);
    },
    async close() {
      clearInterval(ticker);
    },
  };
}
