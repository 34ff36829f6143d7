// node-vault clients with every option explicit. node-vault falls back to VAULT_ADDR, VAULT_TOKEN,
// VAULT_PREFIX, VAULT_NAMESPACE and VAULT_SKIP_VERIFY for anything left empty, so a developer's
// shell could otherwise point a test at a real Vault.
import NodeVault from 'node-vault';

export type VaultClient = NodeVault.client;

export interface VaultClientOptions {
  /** e.g. `http://127.0.0.1:8200` */
  endpoint: string;
  /** Token sent as X-Vault-Token; an empty string sends none (for logins). */
  token: string;
  /** Per-request timeout; node-vault has none of its own. @default 10_000 */
  timeoutMs?: number;
}

/** Something a helper can get a client from: a client itself, or a server/connection handle. */
export type VaultTarget = VaultClient | { client(): VaultClient };

export function createVaultClient(options: VaultClientOptions): VaultClient {
  const { endpoint, token, timeoutMs = 10_000 } = options;
  // rpDefaults is read by node-vault but missing from its types; strictSSL stops VAULT_SKIP_VERIFY
  // from turning off certificate checks.
  const config: NodeVault.VaultOptions & { rpDefaults: { strictSSL: boolean } } = {
    endpoint,
    token,
    apiVersion: 'v1',
    pathPrefix: '',
    noCustomHTTPVerbs: false,
    requestOptions: { timeout: timeoutMs },
    rpDefaults: { strictSSL: true },
  };
  const client = NodeVault(config);
  // The constructor treats '' and undefined as "not given" and reads the environment instead.
  client.token = token;
  (client as VaultClient & { pathPrefix: string; namespace: string | undefined }).pathPrefix = '';
  (client as VaultClient & { pathPrefix: string; namespace: string | undefined }).namespace = undefined;
  return client;
}

export function toVaultClient(target: VaultTarget): VaultClient {
  return 'client' in target && typeof target.client === 'function' ? target.client() : (target as VaultClient);
}

/** The HTTP status of a failed node-vault call, or undefined for transport errors. */
export function vaultErrorStatus(err: unknown): number | undefined {
  const status = (err as { response?: { statusCode?: unknown } } | null)?.response?.statusCode;
  return typeof status === 'number' ? status : undefined;
}
