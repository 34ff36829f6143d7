import { afterEach, describe, expect, it } from 'vitest';
import { createSecretStore } from '../../../../agent/secrets/create-secret-store.js';
import type { SecretStore } from '../../../../agent/secrets/secret-store.js';
import type { SecretRequest } from '../../../../agent/templates/template-engine.js';
import type { VaultRequest } from '../../../../agent/vault/vault-api.js';
import {
  aSecret,
  capturedLogger,
  fakeVault,
  httpError,
  manualClock,
  mountRoute,
  START_MS,
  templateConfig,
  testTokens,
  type FakeVault,
  type ManualClock,
} from './support.js';

const kv: SecretRequest = { kind: 'read', path: 'secret/app' };
const creds: SecretRequest = { kind: 'read', path: 'database/creds/app' };
const CANARY = 'canary-password-7f3a';

let stores: SecretStore[] = [];
afterEach(async () => {
  await Promise.all(stores.map((store) => store.stop()));
  stores = [];
});

/** A KV v2 secret the test can change, and database credentials with a 10 s TTL and 30 s max TTL. */
function testVault(clock: ManualClock) {
  const state = { password: CANARY, issued: 0, renewals: [] as number[], leaseEnds: new Map<string, number>() };
  const vault = fakeVault({
    'GET sys/internal/ui/mounts/secret/app': mountRoute('secret/', '2'),
    'GET secret/data/app': () => aSecret({ data: { data: { password: state.password }, metadata: { version: 1 } } }),
    'GET sys/internal/ui/mounts/database/creds/app': mountRoute('database/', undefined, 'database'),
    'GET database/creds/app': () => {
      const leaseId = `database/creds/app/${++state.issued}`;
      state.leaseEnds.set(leaseId, clock.now() + 30_000);
      return aSecret({ leaseId, leaseDuration: 10, renewable: true, data: { username: `user-${state.issued}`, password: `${CANARY}-${state.issued}` } });
    },
    'PUT sys/leases/renew': (request: VaultRequest) => {
      const leaseId = String(request.body?.lease_id);
      const end = state.leaseEnds.get(leaseId);
      if (end === undefined || end <= clock.now()) throw httpError(request, 400, ['lease not found']);
      state.renewals.push(clock.now() - START_MS);
      return aSecret({ leaseId, leaseDuration: Math.floor(Math.min(10_000, end - clock.now()) / 1_000), renewable: true });
    },
  });
  return { vault, state };
}

function storeFor(vault: FakeVault, clock: ManualClock, staticSecretRenderIntervalMs = 300_000) {
  const log = capturedLogger();
  const tokens = testTokens();
  const store = createSecretStore({ client: vault, tokens, config: templateConfig({ staticSecretRenderIntervalMs }), logger: log.logger, clock, random: () => 0.5 });
  stores.push(store);
  const changes: string[][] = [];
  store.onChange((changed) => changes.push(changed.map((request) => request.path)));
  return { store, log, tokens, changes };
}

describe('static secrets are read again every static interval; unchanged data is not a change', () => {
  it('re-reads KV v2 at 90 % of the interval and reports only a real change', async () => {
    const clock = manualClock();
    const { vault, state } = testVault(clock);
    const { store, changes } = storeFor(vault, clock);
    await store.fetch([kv]);
    store.track([kv]);
    await clock.advance(270_000);
    expect(vault.sent().filter((line) => line === 'GET secret/data/app')).toHaveLength(2);
    expect(changes).toEqual([]);

    state.password = 'rotated';
    await clock.advance(270_000);
    expect(changes).toEqual([['secret/app']]);
    expect(store.lookup(kv)).toMatchObject({ secret: { data: { data: { password: 'rotated' } } } });
  });

  it('does not refresh what is not tracked, and stops refreshing what is dropped', async () => {
    const clock = manualClock();
    const { vault } = testVault(clock);
    const { store } = storeFor(vault, clock);
    await store.fetch([kv, creds]);
    await clock.advance(600_000);
    expect(vault.sent().filter((line) => line.startsWith('PUT'))).toEqual([]);

    store.track([creds]);
    expect(store.lookup(kv)).toBeUndefined();
    await clock.advance(1_000);
    store.track([]);
    const sent = vault.requests.length;
    await clock.advance(600_000);
    expect(vault.requests.length).toBe(sent);
    expect(store.freshness()).toEqual([]);
  });
});

describe('renewable leases are renewed until their max TTL, then fetched anew', () => {
  it('renews a 10 s / 30 s lease at once and every ~7 s, then fetches new credentials and reports the change', async () => {
    const clock = manualClock();
    const { vault, state } = testVault(clock);
    const { store, changes } = storeFor(vault, clock);
    await store.fetch([creds]);
    store.track([creds]);
    await clock.advance(27_000);
    expect(state.renewals).toEqual([0, 7_167, 14_334, 21_501]);
    expect(vault.requests.find((r) => r.path === 'sys/leases/renew')?.body).toEqual({ lease_id: 'database/creds/app/1', increment: 10 });
    expect(changes).toEqual([]);
    await clock.advance(1_000);
    expect(state.issued).toBe(2);
    expect(changes).toEqual([['database/creds/app']]);
    expect(store.lookup(creds)).toMatchObject({ secret: { data: { username: 'user-2' } } });
    const freshness = store.freshness()[0];
    expect(freshness?.consecutiveErrors).toBe(0);
    expect(freshness?.leaseExpiresMs).toBeGreaterThan(clock.now());
    expect(freshness?.leaseExpiresMs).toBeLessThanOrEqual(clock.now() + 10_000);
  });

  it('fetches anew at once when Vault refuses a renewal (revoked lease)', async () => {
    const clock = manualClock();
    const { vault, state } = testVault(clock);
    const { store, changes } = storeFor(vault, clock);
    await store.fetch([creds]);
    store.track([creds]);
    await clock.advance(1_000);
    state.leaseEnds.delete('database/creds/app/1');
    await clock.advance(7_000);
    expect(state.issued).toBe(2);
    expect(changes).toEqual([['database/creds/app']]);
  });

  it('keeps renewing through transient failures and fetches anew only near the end of the lease', async () => {
    const clock = manualClock();
    const { vault, state } = testVault(clock);
    const { store } = storeFor(vault, clock);
    await store.fetch([creds]);
    store.track([creds]);
    await clock.advance(1_000); // renewed at 0: lease until 10 s
    vault.down = true;
    // The renewal at 7.17 s fails; the next try waits for the grace point (8.5 s), not 10 s.
    await clock.advance(7_400);
    expect(vault.sent().filter((line) => line === 'PUT sys/leases/renew')).toHaveLength(2);
    expect(clock.pendingDelays()).toEqual([100]);
    vault.down = false;
    await clock.advance(100);
    expect(state.renewals).toEqual([0, 8_500]); // Vault is back in time: renewed, nothing fetched
    expect(state.issued).toBe(1);

    vault.down = true;
    await clock.advance(20_000); // renewals fail until the grace point; fetching anew fails too
    expect(state.issued).toBe(1);
    expect(store.lookup(creds)).toMatchObject({ secret: { data: { username: 'user-1' } } });
    vault.down = false;
    await clock.advance(10_000);
    expect(state.issued).toBe(2);
  });

  it('re-reads non-renewable leases at 85–95 % of their duration', async () => {
    const clock = manualClock();
    const vault = fakeVault({
      'GET sys/internal/ui/mounts/aws/creds/ro': mountRoute('aws/', undefined, 'aws'),
      'GET aws/creds/ro': () => aSecret({ leaseId: 'aws/creds/ro/x', leaseDuration: 100, data: { key: 'k' } }),
    });
    const { store } = storeFor(vault, clock);
    const aws: SecretRequest = { kind: 'read', path: 'aws/creds/ro' };
    await store.fetch([aws]);
    store.track([aws]);
    await clock.advance(89_999);
    expect(vault.sent().filter((line) => line === 'GET aws/creds/ro')).toHaveLength(1);
    await clock.advance(1);
    expect(vault.sent().filter((line) => line === 'GET aws/creds/ro')).toHaveLength(2);
  });
});

describe('a new login re-fetches leased secrets', () => {
  it('fetches dynamic credentials anew with the new token; static KV waits for its interval', async () => {
    const clock = manualClock();
    const { vault, state } = testVault(clock);
    const { store, tokens, changes } = storeFor(vault, clock);
    await store.fetch([kv, creds]);
    store.track([kv, creds]);
    await clock.advance(1_000);
    const kvReads = vault.sent().filter((line) => line === 'GET secret/data/app').length;
    tokens.login('token-2');
    await clock.advance(0);
    expect(state.issued).toBe(2);
    expect(vault.requests.filter((r) => r.path === 'database/creds/app').at(-1)?.token).toBe('token-2');
    expect(changes).toEqual([['database/creds/app']]);
    expect(vault.sent().filter((line) => line === 'GET secret/data/app')).toHaveLength(kvReads);
  });
});

describe('outages', () => {
  it('keeps the last values, retries with bounded backoff, and recovers', async () => {
    const clock = manualClock();
    const { vault } = testVault(clock);
    const { store, changes } = storeFor(vault, clock, 1_000);
    await store.fetch([kv]);
    store.track([kv]);
    await clock.advance(1_000);
    vault.down = true;
    const before = vault.requests.length;
    await clock.advance(15_000);
    // Retries at 0.25, 0.5, 1, 2, 4, 8 s: a handful over 15 s, not a busy loop.
    expect(vault.requests.length - before).toBeLessThanOrEqual(7);
    expect(store.lookup(kv)).toMatchObject({ secret: { data: { data: { password: CANARY } } } });
    expect(store.freshness()[0]?.consecutiveErrors).toBeGreaterThan(3);

    vault.down = false;
    await clock.advance(16_000);
    expect(store.freshness()[0]).toMatchObject({ consecutiveErrors: 0, lastSuccessMs: expect.any(Number) as number });
    expect(changes).toEqual([]);
  });

  it('reports a secret deleted meanwhile as a final error, and its return as a change', async () => {
    const clock = manualClock();
    const { vault } = testVault(clock);
    const { store, changes } = storeFor(vault, clock, 1_000);
    await store.fetch([kv]);
    store.track([kv]);
    const route = vault.routes.get('GET secret/data/app')!;
    vault.routes.delete('GET secret/data/app');
    await clock.advance(1_000);
    expect(store.lookup(kv)).toEqual({ kind: 'error', message: 'no secret exists at secret/data/app' });
    vault.routes.set('GET secret/data/app', route);
    await clock.advance(1_000);
    expect(changes).toEqual([['secret/app'], ['secret/app']]);
    expect(store.lookup(kv)).toMatchObject({ kind: 'secret' });
  });
});

describe('logs', () => {
  it('name paths, lease durations and next refresh delays, never secret data', async () => {
    const clock = manualClock();
    const { vault } = testVault(clock);
    const { store, log } = storeFor(vault, clock);
    await store.fetch([kv, creds]);
    store.track([kv, creds]);
    await clock.advance(40_000);
    const fetched = log.lines().find((line) => line.msg === 'fetched secret' && line.path === 'database/creds/app');
    expect(fetched).toMatchObject({ level: 30, leaseDurationS: 10, renewable: true, next: 'renew' });
    expect(log.lines().some((line) => line.msg === 'renewed lease' && line.nextRenewalMs === 7_167)).toBe(true);
    expect(log.text()).not.toContain(CANARY);
    expect(log.text()).not.toContain('token-1');
  });
});
