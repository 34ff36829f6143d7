/**
 * `kubernetes`: `PUT <mount>/login {role, jwt}` with the service-account token, re-read and
 * trimmed at every login so a rotated projected token is used from the next login on.
 */
import type { KubernetesAuth } from '../../../contract/agent-config/index.js';
import { authResultFromLogin } from '../auth-result.js';
import { readCredential } from '../credential-file.js';
import { loginPath, type LoginMethod } from './login-method.js';

export function createKubernetesLogin(auth: KubernetesAuth): LoginMethod {
  const path = loginPath(auth.mountPath);
  return {
    name: auth.method,
    async login(client, signal) {
      const jwt = await readCredential({ path: auth.tokenPath, what: 'service-account token' });
      const body = { ...auth.extra, role: auth.role, jwt };
      return authResultFromLogin(await client.request({ method: 'PUT', path, body, namespace: auth.namespace, signal }), `PUT ${path}`);
    },
    close: async () => {},
  };
}
