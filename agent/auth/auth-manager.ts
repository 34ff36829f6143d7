/**
 * Auto-auth: logs in, publishes the token (sinks, `onNewToken`), keeps it renewed, and logs in
 * again when it reaches its grace point, is refused, or is reported invalid — Vault Agent's auth
 * handler (reference §1). Login failures back off 1 s ×2 → 5 min with −0…25 % jitter; with
 * `exitOnError` the first failure is fatal. Time and randomness are passed in.
 *
 * Token states: `valid` (handed out), `checking` (reported invalid; callers wait while
 * `lookup-self` tells a revoked token from a policy denial — one lookup however many requests
 * report it meanwhile), `invalid` (callers wait for the next login, made once per token). A token
 * near its end stays valid until it expires or the next login replaces it.
 */
import type { AuthConfig } from '../../contract/agent-config/index.js';
import { systemClock, type Clock, type Random } from '../lease/clock.js';
import { MIN_SLEEP_MS } from '../lease/lifetime.js';
import type { Logger } from '../observe/logger.js';
import type { TokenSinkWriter } from '../sinks/token-sinks.js';
import { linkedAbort, type LinkedAbort } from '../vault/linked-abort.js';
import type { VaultClient } from '../vault/vault-api.js';
import { AuthError, AuthErrorCode, type AuthResult } from './auth-result.js';
import { checkToken } from './check-token.js';
import { loginBackoffMs } from './login-backoff.js';
import type { LoginMethod } from './methods/login-method.js';
import type { TokenProvider } from './token-provider.js';
import { TokenWaiters } from './token-waiters.js';
import { watchToken, WatchEnd } from './token-watcher.js';

export interface AuthManagerOptions {
  /** For logins, renewals, lookups and revocation. */
  client: VaultClient;
  method: LoginMethod;
  auth: Pick<AuthConfig, 'method' | 'namespace' | 'minBackoffMs' | 'maxBackoffMs' | 'exitOnError'>;
  sinks?: TokenSinkWriter;
  logger: Logger;
  /** @default the system clock */
  clock?: Clock;
  /** @default Math.random */
  random?: Random;
  /**
   * Renew each new token right after login (Vault Agent's lifetime watcher). An init agent
   * exits once its files are written: the renewal would only add a request to its start.
   * @default true
   */
  renewAtOnce?: boolean;
}

/** Auth state for metrics and the health endpoint. */
export interface AuthStats {
  /** A token that is neither known invalid nor expired is at hand. */
  authenticated: boolean;
  logins: number;
  /** Failed logins since start. */
  loginFailures: number;
  /** Failed logins since the last success. */
  consecutiveFailures: number;
  renewals: number;
  /** Epoch ms. */
  lastLoginMs: number | undefined;
  /** Epoch ms; undefined for a token that never expires, or none. */
  tokenExpiresMs: number | undefined;
}

export interface AuthManager extends TokenProvider {
  /** The manager itself, so it fits where `{ tokens }` is expected. */
  readonly tokens: TokenProvider;
  /** Resolves after the first login once every sink holds the token; rejects on a fatal login error. */
  firstLogin(): Promise<void>;
  stats(): AuthStats;
  /** Why the last login failed, while there is no usable token; safe to log. */
  lastFailure(): string | undefined;
  /** Called once when login failed with `exitOnError` set; the manager has stopped then. */
  onFatal(listener: (error: unknown) => void): () => void;
}

interface CurrentToken {
  token: string;
  expiresMs: number | undefined;
  state: 'valid' | 'checking' | 'invalid';
}

/** Creates the manager and starts logging in. */
export function createAuthManager(options: AuthManagerOptions): AuthManager {
  const { client, method, auth, sinks, logger } = options;
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const stopping = new AbortController();
  const waiters = new TokenWaiters();
  const newTokenListeners = new Set<(token: string) => void>();
  const fatalListeners = new Set<(error: unknown) => void>();
  const stats: AuthStats = { authenticated: false, logins: 0, loginFailures: 0, consecutiveFailures: 0, renewals: 0, lastLoginMs: undefined, tokenExpiresMs: undefined };
  let current: CurrentToken | undefined;
  let watchAbort: LinkedAbort | undefined;
  let failure: string | undefined;
  let resolveFirst!: () => void;
  let rejectFirst!: (error: unknown) => void;
  const first = new Promise<void>((resolve, reject) => ((resolveFirst = resolve), (rejectFirst = reject)));
  first.catch(() => undefined); // rejection is reported through firstLogin() / onFatal

  const usable = (entry = current): entry is CurrentToken =>
    entry !== undefined && entry.state === 'valid' && (entry.expiresMs === undefined || clock.now() < entry.expiresMs);
  const wake = () => {
    if (usable()) waiters.resolveAll(current!.token);
  };

  async function loginWithBackoff(): Promise<AuthResult> {
    for (let failures = 1; ; failures++) {
      try {
        return await method.login(client, stopping.signal);
      } catch (error) {
        if (stopping.signal.aborted) throw error;
        stats.loginFailures++;
        stats.consecutiveFailures = failures;
        failure = error instanceof Error ? error.message : 'login failed';
        if (auth.exitOnError) throw error;
        const backoffMs = loginBackoffMs(failures, auth, random);
        logger.error({ err: error, method: method.name, failures, backoffMs }, 'error authenticating');
        await clock.sleep(backoffMs, stopping.signal);
      }
    }
  }

  function publish(result: AuthResult, nowMs: number): void {
    const expiresMs = result.leaseDurationSeconds > 0 ? nowMs + result.leaseDurationSeconds * 1_000 : undefined;
    current = { token: result.token, expiresMs, state: 'valid' };
    Object.assign(stats, { logins: stats.logins + 1, consecutiveFailures: 0, lastLoginMs: nowMs, tokenExpiresMs: expiresMs });
    failure = undefined;
    logger.info({ method: method.name, ttlSeconds: result.leaseDurationSeconds, renewable: result.renewable, policies: result.policies }, 'authenticated');
    const written = sinks?.write(result.token) ?? Promise.resolve();
    if (stats.logins === 1) void written.then(resolveFirst);
    for (const listener of newTokenListeners) {
      try {
        listener(result.token);
      } catch (error) {
        logger.error({ err: error }, 'a new-token listener failed');
      }
    }
    wake();
  }

  /** Resolves when the token needs replacing; rejects once stopping. */
  async function watch(result: AuthResult, loggedInMs: number): Promise<string> {
    const link = linkedAbort(stopping.signal);
    watchAbort = link;
    const signal = link.signal;
    try {
      if (result.leaseDurationSeconds === 0) {
        logger.info('the auth token has no TTL; not renewing it');
        await untilAborted(signal);
      }
      const onRenewed = (expiresMs: number) => {
        stats.renewals++;
        stats.tokenExpiresMs = expiresMs;
        if (current?.token === result.token) current.expiresMs = expiresMs;
      };
      const end = await watchToken(result, loggedInMs, { client, namespace: auth.namespace, clock, random, logger, signal, onRenewed, renewAtOnce: options.renewAtOnce });
      if (end === WatchEnd.refused && current?.token === result.token) current.state = 'invalid';
      return end;
    } catch (error) {
      if (stopping.signal.aborted || !link.signal.aborted) throw error;
      return 'reported-invalid';
    } finally {
      link.dispose();
    }
  }

  async function run(): Promise<void> {
    try {
      for (;;) {
        const result = await loginWithBackoff();
        const loggedInMs = clock.now();
        publish(result, loggedInMs);
        const reason = await watch(result, loggedInMs);
        logger.info({ reason }, 're-authenticating');
        // A token that is done within a second of its login (a TTL of a second or two) would
        // otherwise make logins back to back.
        const sinceLoginMs = clock.now() - loggedInMs;
        if (sinceLoginMs < MIN_SLEEP_MS) await clock.sleep(MIN_SLEEP_MS - sinceLoginMs, stopping.signal);
      }
    } catch (error) {
      if (stopping.signal.aborted) return;
      logger.error({ err: error, method: method.name }, 'error authenticating; giving up (exitOnError)');
      stopping.abort();
      waiters.rejectAll(error);
      rejectFirst(error);
      for (const listener of fatalListeners) listener(error);
    }
  }

  async function verify(entry: CurrentToken): Promise<void> {
    const verdict = await checkToken(client, entry.token, auth.namespace, stopping.signal);
    if (entry !== current || stopping.signal.aborted) return;
    if (verdict === 'invalid') {
      entry.state = 'invalid';
      logger.warn('the auth token was refused (revoked or expired); logging in again');
      watchAbort?.abort();
      return;
    }
    entry.state = 'valid';
    if (verdict === 'valid') logger.info('a request was refused, but the auth token is still valid: its policies do not allow that request');
    else logger.warn('could not check the auth token after a refused request; keeping it');
    wake();
  }

  const running = run();

  async function halt(): Promise<void> {
    stopping.abort();
    await running;
    waiters.rejectAll(new AuthError(AuthErrorCode.stopped, 'the auth manager was stopped'));
    await Promise.allSettled([sinks?.stop(), method.close()]);
  }

  const manager: AuthManager = {
    get tokens() {
      return manager;
    },
    token() {
      if (stopping.signal.aborted) return Promise.reject(waiters.finalError ?? new AuthError(AuthErrorCode.stopped, 'the auth manager was stopped'));
      return usable() ? Promise.resolve(current!.token) : waiters.wait();
    },
    current: () => (usable() ? current!.token : undefined),
    reportInvalid(token) {
      const entry = current;
      // Reports of a token being checked, already replaced or known invalid change nothing.
      if (entry === undefined || entry.token !== token || entry.state !== 'valid' || stopping.signal.aborted) return;
      entry.state = 'checking';
      void verify(entry);
    },
    onNewToken(listener) {
      newTokenListeners.add(listener);
      return () => newTokenListeners.delete(listener);
    },
    async revokeSelf() {
      const entry = current;
      // Stop first: a renewal refused after the revocation would otherwise log in again.
      await halt();
      current = undefined;
      if (entry === undefined || entry.state === 'invalid') return;
      await client.request({ method: 'PUT', path: 'auth/token/revoke-self', token: entry.token, namespace: auth.namespace });
      logger.info('revoked the auth token');
    },
    stop: halt,
    firstLogin: () => first,
    stats: () => ({ ...stats, authenticated: usable() }),
    lastFailure: () => (usable() ? undefined : failure),
    onFatal(listener) {
      fatalListeners.add(listener);
      return () => fatalListeners.delete(listener);
    },
  };
  return manager;
}

/** Never resolves; rejects with the signal's reason once it aborts. */
function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}
