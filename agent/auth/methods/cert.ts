/**
 * `cert`: `PUT <mount>/login {name?}` over a TLS connection that presents the client
 * certificate. The connection is the agent's Vault connection with the method's certificate,
 * key and CA in place of the connection's own. It is built once; with `reload` it is built anew
 * for every login, so a rotated certificate is used (Vault Agent's `reload`, vault#18562).
 */
import type { CertAuth, VaultConnection } from '../../../contract/agent-config/index.js';
import type { VaultClient } from '../../vault/vault-api.js';
import { authResultFromLogin } from '../auth-result.js';
import { loginPath, type LoginMethod } from './login-method.js';

export type ClientFactory = (connection: VaultConnection) => VaultClient;

/** The connection for cert logins: no HTTP-level retries (auth has its own backoff). */
export function certLoginConnection(auth: CertAuth, vault: VaultConnection): VaultConnection {
  const connection: VaultConnection = { ...vault, maxRetries: 0 };
  if (auth.clientCertPath !== undefined && auth.clientKeyPath !== undefined) {
    connection.clientCertPath = auth.clientCertPath;
    connection.clientKeyPath = auth.clientKeyPath;
  }
  if (auth.caCertPath !== undefined) {
    // The method's CA replaces every CA setting of the connection.
    connection.caCertPath = auth.caCertPath;
    delete connection.caCertPem;
    delete connection.caPath;
  }
  return connection;
}

export function createCertLogin(auth: CertAuth, vault: VaultConnection, createClient: ClientFactory): LoginMethod {
  const path = loginPath(auth.mountPath);
  const connection = certLoginConnection(auth, vault);
  let tlsClient: VaultClient | undefined;

  async function clientForLogin(): Promise<VaultClient> {
    if (tlsClient !== undefined && !auth.reload) return tlsClient;
    await tlsClient?.close();
    tlsClient = createClient(connection);
    return tlsClient;
  }

  return {
    name: auth.method,
    async login(_client, signal) {
      const client = await clientForLogin();
      const body: Record<string, unknown> = { ...auth.extra };
      if (auth.name !== undefined) body.name = auth.name;
      return authResultFromLogin(await client.request({ method: 'PUT', path, body, namespace: auth.namespace, signal }), `PUT ${path}`);
    },
    async close() {
      await tlsClient?.close();
      tlsClient = undefined;
    },
  };
}
