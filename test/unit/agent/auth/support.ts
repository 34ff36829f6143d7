// Stand-ins for the auth manager's edges: a Vault that issues and renews tokens in memory and
// records every request, a clock the test moves by hand, and a captured logger.
import { Writable } from 'node:stream';
import type { Clock } from '../../../../agent/lease/clock.js';
import { createLogger, type Logger } from '../../../../agent/observe/logger.js';
import { VaultError, type VaultClient, type VaultRequest, type VaultSecret } from '../../../../agent/vault/vault-api.js';

export const START_MS = Date.UTC(2025, 0, 1);

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

export interface ManualClock extends Clock {
  /** Moves time forward, waking sleepers in order and letting their work run. */
  advance(ms: number): Promise<void>;
  /** Sleeps not yet woken, as delays from now. */
  pendingDelays(): number[];
}

export function manualClock(startMs = START_MS): ManualClock {
  let now = startMs;
  const sleepers = new Set<{ at: number; wake: () => void }>();
  return {
    now: () => now,
    sleep(ms, signal) {
      return new Promise<void>((resolve, reject) => {
        if (signal.aborted) return reject(signal.reason as Error);
        const sleeper = { at: now + Math.max(0, ms), wake: () => (signal.removeEventListener('abort', onAbort), resolve()) };
        const onAbort = (): void => {
          sleepers.delete(sleeper);
          reject(signal.reason as Error);
        };
        sleepers.add(sleeper);
        signal.addEventListener('abort', onAbort, { once: true });
      });
    },
    async advance(ms) {
      const target = now + ms;
      for (;;) {
        await settle();
        const next = [...sleepers].filter((s) => s.at <= target).sort((a, b) => a.at - b.at)[0];
        if (next === undefined) break;
        sleepers.delete(next);
        now = next.at;
        next.wake();
      }
      now = target;
      await settle();
    },
    pendingDelays: () => [...sleepers].map((s) => s.at - now).sort((a, b) => a - b),
  };
}

/** Lets promise chains and I/O callbacks queued so far run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
}

export interface CapturedLogger {
  logger: Logger;
  lines(): Record<string, unknown>[];
  text(): string;
}

export function capturedLogger(): CapturedLogger {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString('utf8'));
      callback();
    },
  });
  const logger = createLogger({ level: 'debug', destination });
  const text = (): string => chunks.join('');
  return {
    logger,
    text,
    lines: () => text().split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
