// Stand-ins for the auth manager's edges: a Vault that issues and renews tokens in memory and
// records every request, a clock the test moves by hand, and a captured logger.
import type { Clock } from '../../../../agent/lease/clock.js';
import { VaultError, type VaultClient, type VaultRequest, type VaultSecret } from '../../../../agent/vault/vault-api.js';

export { START_MS, capturedLogger, manualClock, settle, type CapturedLogger, type ManualClock } from '../support/test-kit.js';

export function aSecret(fields: Partial<VaultSecret> = {}): VaultSecret {
  return { requestId: 'req', leaseId: '', leaseDuration: 0, renewable: false, data: null, warnings: null, auth: null, wrapInfo: null, ...fields };
}

export interface TokenPolicy {
  ttlSeconds: number;
  maxTtlSeconds: number;
  renewable: boolean;
}

export interface MemoryVault extends VaultClient {
  requests: VaultRequest[];
  /** `METHOD path` of every request so far. */
  sent(): string[];
  count(methodAndPath: string): number;
  /** Tokens issued so far, in order. */
  issued: string[];
  revoked: Set<string>;
  /** While set, logins fail with this error. */
  loginError: VaultError | undefined;
  /** While set, renew-self fails with this error. */
  renewError: VaultError | undefined;
  policy: TokenPolicy;
}

/** Logins at `auth/<mount>/login` issue `token-1`, `token-2`, …; renew-self honours the max TTL. */
export function memoryVault(clock: Clock, policy: TokenPolicy = { ttlSeconds: 3600, maxTtlSeconds: 86_400, renewable: true }): MemoryVault {
  const issuedAt = new Map<string, number>();
  const vault: MemoryVault = {
    requests: [],
    issued: [],
    revoked: new Set(),
    loginError: undefined,
    renewError: undefined,
    policy,
    sent: () => vault.requests.map((request) => `${request.method} ${request.path}`),
    count: (methodAndPath) => vault.sent().filter((entry) => entry === methodAndPath).length,
    async request(request) {
      vault.requests.push(request);
      await Promise.resolve();
      if (request.signal?.aborted) throw new VaultError('VAULT_ABORTED', request.method, request.path, 'aborted');
      if (request.path.endsWith('/login')) {
        if (vault.loginError !== undefined) throw vault.loginError;
        const token = `token-${vault.issued.length + 1}`;
        vault.issued.push(token);
        issuedAt.set(token, clock.now());
        const { ttlSeconds, renewable } = vault.policy;
        return aSecret({ auth: { clientToken: token, accessor: `acc-${token}`, policies: ['default', 'app'], tokenPolicies: [], metadata: null, leaseDuration: ttlSeconds, renewable } });
      }
      const token = request.token ?? '';
      const expiresMs = (issuedAt.get(token) ?? -Infinity) + vault.policy.maxTtlSeconds * 1_000;
      if (vault.revoked.has(token) || !issuedAt.has(token) || clock.now() >= expiresMs) throw httpError(request, 403, ['permission denied']);
      if (request.path === 'auth/token/renew-self') {
        if (vault.renewError !== undefined) throw vault.renewError;
        const leaseDuration = Math.min(vault.policy.ttlSeconds, Math.floor((expiresMs - clock.now()) / 1_000));
        return aSecret({ auth: { clientToken: token, accessor: '', policies: [], tokenPolicies: [], metadata: null, leaseDuration, renewable: vault.policy.renewable } });
      }
      if (request.path === 'auth/token/lookup-self') return aSecret({ data: { id: token, ttl: 1 } });
      if (request.path === 'auth/token/revoke-self') {
        vault.revoked.add(token);
        return undefined;
      }
      throw httpError(request, 403, ['permission denied']); // a path the policy does not allow
    },
    close: async () => {},
  };
  return vault;
}

export function httpError(request: Pick<VaultRequest, 'method' | 'path'>, status: number, errors: string[] = []): VaultError {
  return new VaultError('VAULT_HTTP', request.method, request.path, `status ${status}`, status, errors);
}

