import { afterEach, describe, expect, it } from 'vitest';
import { createAuthManager, type AuthManager } from '../../../../agent/auth/auth-manager.js';
import { authResultFromLogin } from '../../../../agent/auth/auth-result.js';
import type { LoginMethod } from '../../../../agent/auth/methods/login-method.js';
import type { TokenSinkWriter } from '../../../../agent/sinks/token-sinks.js';
import { capturedLogger, httpError, manualClock, memoryVault, settle, type ManualClock, type MemoryVault, type TokenPolicy } from './support.js';

const S = 1_000;
const MIN = 60 * S;

const testLogin: LoginMethod = {
  name: 'test',
  login: async (client, signal) => authResultFromLogin(await client.request({ method: 'PUT', path: 'auth/test/login', body: { role: 'app' }, signal }), 'login'),
  close: async () => {},
};

interface Harness {
  clock: ManualClock;
  vault: MemoryVault;
  manager: AuthManager;
  sinkWrites: string[];
  log: ReturnType<typeof capturedLogger>;
}

let running: AuthManager | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

function start(options: { policy?: TokenPolicy; exitOnError?: boolean; random?: () => number; method?: LoginMethod; renewAtOnce?: boolean } = {}): Harness {
  const clock = manualClock();
  const vault = memoryVault(clock, options.policy);
  const sinkWrites: string[] = [];
  const sinks: TokenSinkWriter = { write: async (token) => void sinkWrites.push(token), stop: async () => {} };
  const log = capturedLogger();
  const manager = createAuthManager({
    client: vault,
    method: options.method ?? testLogin,
    auth: { method: 'kubernetes', namespace: undefined, minBackoffMs: 1_000, maxBackoffMs: 300_000, exitOnError: options.exitOnError ?? false },
    sinks,
    logger: log.logger,
    clock,
    random: options.random ?? (() => 0),
    renewAtOnce: options.renewAtOnce,
  });
  running = manager;
  return { clock, vault, manager, sinkWrites, log };
}

describe('auth manager: login and renewal', () => {
  it('logs in, writes the sinks, tells listeners and hands out the token', async () => {
    const { manager, vault, sinkWrites } = start();
    const announced: string[] = [];
    manager.onNewToken((token) => announced.push(token));
    await manager.firstLogin();
    expect(await manager.token()).toBe('token-1');
    expect(manager.current()).toBe('token-1');
    expect(sinkWrites).toEqual(['token-1']);
    expect(vault.count('PUT auth/test/login')).toBe(1);
    expect(manager.stats()).toMatchObject({ authenticated: true, logins: 1, loginFailures: 0, consecutiveFailures: 0 });
    expect(announced).toEqual(['token-1']); // listeners added right after creation see the first login
  });

  it('renews a 1 h token at once, then every 42 min (grace 6 min at U=0)', async () => {
    const { manager, vault, clock } = start();
    await manager.firstLogin();
    await settle();
    expect(vault.count('PUT auth/token/renew-self')).toBe(1);
    await clock.advance(42 * MIN - 1);
    expect(vault.count('PUT auth/token/renew-self')).toBe(1);
    await clock.advance(1);
    expect(vault.count('PUT auth/token/renew-self')).toBe(2);
    await clock.advance(42 * MIN);
    expect(vault.count('PUT auth/token/renew-self')).toBe(3);
    expect(vault.count('PUT auth/test/login')).toBe(1);
    expect(manager.stats().renewals).toBe(3);
  });

  it('without renewAtOnce (init mode), renews a 1 h token first on schedule, at 42 min', async () => {
    const { manager, vault, clock } = start({ renewAtOnce: false });
    await manager.firstLogin();
    await settle();
    expect(vault.count('PUT auth/token/renew-self')).toBe(0);
    await clock.advance(42 * MIN - 1);
    expect(vault.count('PUT auth/token/renew-self')).toBe(0);
    await clock.advance(1);
    expect(vault.count('PUT auth/token/renew-self')).toBe(1);
    await clock.advance(42 * MIN);
    expect(vault.count('PUT auth/token/renew-self')).toBe(2);
    expect(vault.count('PUT auth/test/login')).toBe(1);
  });

  it('logs in again before the max TTL, with at least the grace period left, and rewrites the sinks', async () => {
    const { manager, vault, clock, sinkWrites } = start({ policy: { ttlSeconds: 3600, maxTtlSeconds: 9000, renewable: true } });
    await manager.firstLogin();
    await clock.advance(9000 * S - 6 * MIN);
    expect(vault.issued).toEqual(['token-1', 'token-2']);
    expect(sinkWrites).toEqual(['token-1', 'token-2']);
    expect(await manager.token()).toBe('token-2');
    const secondLogin = vault.sent().indexOf('PUT auth/test/login', 1);
    expect(secondLogin).toBeGreaterThan(0);
  });

  it('never renews a non-renewable token and logs in again at 70 % of its TTL', async () => {
    const { manager, vault, clock } = start({ policy: { ttlSeconds: 3600, maxTtlSeconds: 3600, renewable: false } });
    await manager.firstLogin();
    await clock.advance(2520 * S - 1);
    expect(vault.issued).toEqual(['token-1']);
    await clock.advance(1);
    expect(vault.issued).toEqual(['token-1', 'token-2']);
    expect(vault.count('PUT auth/token/renew-self')).toBe(0);
  });

  it('logs in again at once when a renewal is refused with 403', async () => {
    const { manager, vault, clock } = start();
    await manager.firstLogin();
    vault.revoked.add('token-1');
    await clock.advance(42 * MIN);
    expect(vault.issued).toEqual(['token-1', 'token-2']);
    expect(await manager.token()).toBe('token-2');
  });

  it('backs off renewal errors (10 s ×2, within the lease) and logs in again at the grace point — no busy loop', async () => {
    const { manager, vault, clock } = start({ random: () => 0.5 });
    await manager.firstLogin();
    vault.renewError = httpError({ method: 'PUT', path: 'auth/token/renew-self' }, 503, ['sealed']);
    await clock.advance(60 * MIN);
    const renewals = vault.count('PUT auth/token/renew-self');
    // 0, +10, +20, +40, +80, +160, +300 s … until 9 min (grace at U=0.5) before the end
    expect(renewals).toBeLessThan(20);
    expect(renewals).toBeGreaterThan(5);
    expect(vault.issued.length).toBeGreaterThanOrEqual(2);
    expect(manager.stats().authenticated).toBe(true);
  });

  it('leaves at least a second between logins when tokens live only a second', async () => {
    const { manager, vault, clock } = start({ policy: { ttlSeconds: 1, maxTtlSeconds: 1, renewable: true } });
    await manager.firstLogin();
    await clock.advance(10 * S);
    expect(vault.issued.length).toBeGreaterThanOrEqual(5);
    expect(vault.issued.length).toBeLessThanOrEqual(11);
  });

  it('keeps the token of a login without TTL and never renews it', async () => {
    const { manager, vault, clock } = start({ policy: { ttlSeconds: 0, maxTtlSeconds: 10 ** 9, renewable: false } });
    await manager.firstLogin();
    await clock.advance(30 * 24 * 60 * MIN);
    expect(vault.sent()).toEqual(['PUT auth/test/login']);
    expect(await manager.token()).toBe('token-1');
    expect(manager.stats().tokenExpiresMs).toBeUndefined();
  });
});

describe('auth manager: failed logins', () => {
  it('backs off 1 s, 2 s, 4 s … and resets after a success', async () => {
    const { manager, vault, clock } = start({ policy: { ttlSeconds: 60, maxTtlSeconds: 60, renewable: false } });
    vault.loginError = httpError({ method: 'PUT', path: 'auth/test/login' }, 400, ['invalid role']);
    await settle();
    expect(clock.pendingDelays()).toEqual([1 * S]);
    await clock.advance(1 * S);
    expect(clock.pendingDelays()).toEqual([2 * S]);
    await clock.advance(2 * S);
    expect(clock.pendingDelays()).toEqual([4 * S]);
    expect(manager.stats()).toMatchObject({ authenticated: false, consecutiveFailures: 3, loginFailures: 3 });
    expect(manager.lastFailure()).toBe('status 400');
    vault.loginError = undefined;
    await clock.advance(4 * S);
    expect(await manager.token()).toBe('token-1');
    expect(manager.stats()).toMatchObject({ authenticated: true, consecutiveFailures: 0, loginFailures: 3 });
    // The token is not renewable: re-login at 70 % of 60 s fails and waits 1 s again.
    vault.loginError = httpError({ method: 'PUT', path: 'auth/test/login' }, 500);
    await clock.advance(42 * S);
    expect(clock.pendingDelays()).toEqual([1 * S]);
  });

  it('gives up on the first failure with exitOnError', async () => {
    const clock = manualClock();
    const vault = memoryVault(clock);
    vault.loginError = httpError({ method: 'PUT', path: 'auth/test/login' }, 403, ['permission denied']);
    const { logger } = capturedLogger();
    const manager = createAuthManager({
      client: vault,
      method: testLogin,
      auth: { method: 'jwt', namespace: undefined, minBackoffMs: 1_000, maxBackoffMs: 300_000, exitOnError: true },
      logger,
      clock,
    });
    running = manager;
    const fatal: unknown[] = [];
    manager.onFatal((error) => fatal.push(error));
    const waiting = manager.token();
    await expect(manager.firstLogin()).rejects.toMatchObject({ status: 403 });
    await expect(waiting).rejects.toMatchObject({ status: 403 });
    await expect(manager.token()).rejects.toMatchObject({ status: 403 });
    expect(fatal).toHaveLength(1);
    await clock.advance(10 * MIN);
    expect(vault.count('PUT auth/test/login')).toBe(1);
  });
});

describe('auth manager: reported tokens, revocation, stop', () => {
  it('logs in again once when a reported token is refused by lookup-self (a second after the last login at the soonest)', async () => {
    const { manager, vault, clock } = start();
    await manager.firstLogin();
    vault.revoked.add('token-1');
    manager.reportInvalid('token-1');
    manager.reportInvalid('token-1');
    expect(manager.current()).toBeUndefined();
    const next = manager.token();
    await clock.advance(1 * S);
    expect(await next).toBe('token-2');
    manager.reportInvalid('token-1'); // stale: already replaced
    await settle();
    expect(vault.issued).toEqual(['token-1', 'token-2']);
    expect(vault.count('GET auth/token/lookup-self')).toBe(1);
  });

  it('keeps a reported token that lookup-self still accepts (a policy denial), checking once per burst of reports', async () => {
    const { manager, vault } = start();
    await manager.firstLogin();
    manager.reportInvalid('token-1');
    manager.reportInvalid('token-1');
    expect(await manager.token()).toBe('token-1');
    expect(vault.count('GET auth/token/lookup-self')).toBe(1);
    manager.reportInvalid('token-1');
    expect(await manager.token()).toBe('token-1');
    expect(vault.count('GET auth/token/lookup-self')).toBe(2);
    expect(vault.issued).toEqual(['token-1']);
  });

  it('revokes its token, and stops renewing and logging in', async () => {
    const { manager, vault, clock } = start();
    await manager.firstLogin();
    await manager.revokeSelf();
    expect(vault.revoked.has('token-1')).toBe(true);
    const before = vault.requests.length;
    await clock.advance(5 * 60 * MIN);
    expect(vault.requests.length).toBe(before);
    await expect(manager.token()).rejects.toMatchObject({ code: 'AUTH_STOPPED' });
  });

  it('clears every timer on stop and leaves the token valid', async () => {
    const { manager, vault, clock } = start();
    await manager.firstLogin();
    await settle();
    await manager.stop();
    expect(clock.pendingDelays()).toEqual([]);
    await clock.advance(5 * 60 * MIN);
    expect(vault.sent()).toEqual(['PUT auth/test/login', 'PUT auth/token/renew-self']);
    expect(vault.revoked.size).toBe(0);
  });

  it('logs metadata but never a token', async () => {
    const { manager, vault, clock, log } = start({ policy: { ttlSeconds: 60, maxTtlSeconds: 100, renewable: true } });
    await manager.firstLogin();
    vault.revoked.add('token-1');
    manager.reportInvalid('token-1');
    await clock.advance(10 * MIN);
    expect(vault.issued.length).toBeGreaterThan(3);
    expect(log.text()).not.toMatch(/token-\d/);
    expect(log.lines().map((line) => line.msg)).toContain('authenticated');
  });
});
