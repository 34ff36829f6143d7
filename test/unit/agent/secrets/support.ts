// Stand-ins for the secret store's edges: an in-memory Vault that records every request, a clock
// the test moves by hand, a token provider the test logs in again, and a captured logger.
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../../../agent/observe/logger.js';
import type { Clock } from '../../../../agent/lease/clock.js';
import type { TokenProvider } from '../../../../agent/auth/token-provider.js';
import { VaultError, type VaultClient, type VaultRequest, type VaultSecret } from '../../../../agent/vault/vault-api.js';
import { templateConfigSchema, type TemplateConfig } from '../../../../contract/agent-config/index.js';

export const START_MS = Date.UTC(2025, 0, 1);

export function aSecret(fields: Partial<VaultSecret> = {}): VaultSecret {
  return { requestId: `req-${Math.random()}`, leaseId: '', leaseDuration: 0, renewable: false, data: {}, warnings: null, auth: null, wrapInfo: null, ...fields };
}

export function templateConfig(overrides: Partial<TemplateConfig> = {}): TemplateConfig {
  return { ...templateConfigSchema.parse({}), ...overrides };
}

export type Route = (request: VaultRequest) => VaultSecret | undefined | Promise<VaultSecret | undefined>;

export interface FakeVault extends VaultClient {
  /** Handlers by `METHOD path` (path as sent, query included). */
  routes: Map<string, Route>;
  requests: VaultRequest[];
  /** `METHOD path` of every request so far. */
  sent(): string[];
  /** While set, every request fails like a refused connection. */
  down: boolean;
  /** Tokens Vault refuses (403 on everything, `lookup-self` included). */
  revoked: Set<string>;
}

/** Answers from `routes`; anything else is a 404 with no errors, as Vault answers a missing path. */
export function fakeVault(routes: Record<string, Route> = {}): FakeVault {
  const vault: FakeVault = {
    routes: new Map(Object.entries(routes)),
    requests: [],
    down: false,
    revoked: new Set(),
    sent: () => vault.requests.map((request) => `${request.method} ${request.path}`),
    async request(request) {
      vault.requests.push(request);
      await Promise.resolve();
      if (request.signal?.aborted) throw new VaultError('VAULT_ABORTED', request.method, request.path, 'aborted');
      if (vault.down) throw new VaultError('VAULT_NETWORK', request.method, request.path, 'connection refused');
      if (request.token !== undefined && vault.revoked.has(request.token)) throw httpError(request, 403, ['permission denied']);
      if (request.method === 'GET' && request.path === 'auth/token/lookup-self') return aSecret({ data: { ttl: 3600 } });
      const route = vault.routes.get(`${request.method} ${request.path}`);
      if (route === undefined) throw new VaultError('VAULT_HTTP', request.method, request.path, 'not found', 404);
      return route(request);
    },
    close: async () => {},
  };
  return vault;
}

export function httpError(request: VaultRequest, status: number, errors: string[] = []): VaultError {
  return new VaultError('VAULT_HTTP', request.method, request.path, `status ${status}`, status, errors);
}

/** `sys/internal/ui/mounts/<path>` answers for a mount. */
export function mountRoute(mountPath: string, version: '1' | '2' | undefined, type = 'kv'): Route {
  return () => aSecret({ data: { path: mountPath, type, options: version === undefined ? null : { version } } });
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
        const onAbort = (): void => {
          sleepers.delete(sleeper);
          reject(signal.reason as Error);
        };
        const sleeper = {
          at: now + Math.max(0, ms),
          wake: () => {
            signal.removeEventListener('abort', onAbort);
            resolve();
          },
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

export interface TestTokens extends TokenProvider {
  /** Tokens reported invalid. */
  invalid: string[];
  /** A new login: the next token, announced to listeners. */
  login(token: string): void;
}

/**
 * A provider with `token-1`. A report of an invalid token changes nothing (the real auth manager
 * finds the token valid and keeps it), unless `reloginOnInvalid`: then it logs in with `token-2`, ….
 */
export function testTokens(options: { reloginOnInvalid?: boolean } = {}): TestTokens {
  let current = 'token-1';
  let logins = 1;
  const listeners = new Set<(token: string) => void>();
  const tokens: TestTokens = {
    invalid: [],
    token: async () => current,
    current: () => current,
    reportInvalid(token) {
      tokens.invalid.push(token);
      if (options.reloginOnInvalid === true && token === current) tokens.login(`token-${++logins}`);
    },
    login(token) {
      current = token;
      for (const listener of listeners) listener(token);
    },
    onNewToken(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    revokeSelf: async () => {},
    stop: async () => {},
  };
  return tokens;
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
