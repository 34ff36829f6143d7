// Stand-ins for the secret store's edges: an in-memory Vault that records every request, a clock
// the test moves by hand, a token provider the test logs in again, and a captured logger.
import type { TokenProvider } from '../../../../agent/auth/token-provider.js';
import { VaultError, type VaultClient, type VaultRequest, type VaultSecret } from '../../../../agent/vault/vault-api.js';
import { templateConfigSchema, type TemplateConfig } from '../../../../contract/agent-config/index.js';

export { START_MS, capturedLogger, manualClock, settle, type CapturedLogger, type ManualClock } from '../support/test-kit.js';

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

