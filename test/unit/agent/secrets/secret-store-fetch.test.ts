import { afterEach, describe, expect, it } from 'vitest';
import { createSecretStore } from '../../../../agent/secrets/create-secret-store.js';
import type { SecretStore } from '../../../../agent/secrets/secret-store.js';
import type { SecretRequest } from '../../../../agent/templates/template-engine.js';
import {
  aSecret,
  capturedLogger,
  fakeVault,
  httpError,
  manualClock,
  mountRoute,
  templateConfig,
  testTokens,
  type FakeVault,
  type TestTokens,
} from './support.js';

const read = (path: string): SecretRequest => ({ kind: 'read', path });
let stores: SecretStore[] = [];
afterEach(async () => {
  await Promise.all(stores.map((store) => store.stop()));
  stores = [];
});

function storeFor(vault: FakeVault, tokens: TestTokens = testTokens()) {
  const clock = manualClock();
  const log = capturedLogger();
  const store = createSecretStore({ client: vault, tokens, config: templateConfig(), logger: log.logger, clock, random: () => 0.5 });
  stores.push(store);
  return { store, clock, log, tokens };
}

const kvV2 = (data: Record<string, unknown>) => () => aSecret({ data: { data, metadata: { version: 1, deletion_time: '', destroyed: false } } });

describe('each distinct request is fetched once', () => {
  it('makes one read for the same request asked twice in one fetch and again later', async () => {
    const vault = fakeVault({ 'GET sys/internal/ui/mounts/secret/app': mountRoute('secret/', '2'), 'GET secret/data/app': kvV2({ password: 'p' }) });
    const { store } = storeFor(vault);
    await store.fetch([read('secret/app'), read('secret/app')]);
    await store.fetch([read('secret/app')]);
    expect(vault.sent()).toEqual(['GET sys/internal/ui/mounts/secret/app', 'GET secret/data/app']);
    expect(store.lookup(read('secret/app'))).toMatchObject({ kind: 'secret', secret: { data: { data: { password: 'p' } } } });
  });

  it('joins concurrent fetches of the same request into one', async () => {
    const vault = fakeVault({ 'GET sys/internal/ui/mounts/secret/app': mountRoute('secret/', '2'), 'GET secret/data/app': kvV2({ a: '1' }) });
    const { store } = storeFor(vault);
    await Promise.all([store.fetch([read('secret/app')]), store.fetch([read('secret/app')]), store.fetch([read('/secret/app/')].slice(0, 0))]);
    expect(vault.sent().filter((line) => line === 'GET secret/data/app')).toHaveLength(1);
  });

  it('asks for the mount once per mount', async () => {
    const vault = fakeVault({
      'GET sys/internal/ui/mounts/secret/a': mountRoute('secret/', '2'),
      'GET secret/data/a': kvV2({ a: '1' }),
      'GET secret/data/b': kvV2({ b: '2' }),
    });
    const { store } = storeFor(vault);
    await store.fetch([read('secret/a')]);
    await store.fetch([read('secret/b')]);
    expect(vault.sent()).toEqual(['GET sys/internal/ui/mounts/secret/a', 'GET secret/data/a', 'GET secret/data/b']);
  });

  it('asks once for the mount of several paths fetched together', async () => {
    const vault = fakeVault({
      'GET sys/internal/ui/mounts/secret/a': mountRoute('secret/', '2'),
      'GET sys/internal/ui/mounts/secret/b': mountRoute('secret/', '2'),
      'GET secret/data/a': kvV2({ a: '1' }),
      'GET secret/data/b': kvV2({ b: '2' }),
    });
    const { store } = storeFor(vault);
    await store.fetch([read('secret/a'), read('secret/b')]);
    expect(vault.sent().filter((line) => line.includes('ui/mounts'))).toHaveLength(1);
    expect(store.lookup(read('secret/b'))).toMatchObject({ kind: 'secret' });
  });

  it('lookup answers undefined for what was not fetched', () => {
    const { store } = storeFor(fakeVault());
    expect(store.lookup(read('secret/never'))).toBeUndefined();
  });
});

describe('reads, writes and lists', () => {
  it('reads KV v1 paths as given, and keeps ?version=N on KV v2', async () => {
    const vault = fakeVault({
      'GET sys/internal/ui/mounts/kv1/app': mountRoute('kv1/', '1'),
      'GET kv1/app': () => aSecret({ leaseDuration: 2_764_800, data: { password: 'v1' } }),
      'GET sys/internal/ui/mounts/secret/app': mountRoute('secret/', '2'),
      'GET secret/data/app?version=2': kvV2({ password: 'v2' }),
    });
    const { store } = storeFor(vault);
    await store.fetch([read('kv1/app'), read('secret/app?version=2')]);
    expect(store.lookup(read('kv1/app'))).toMatchObject({ kind: 'secret', secret: { data: { password: 'v1' } } });
    expect(store.lookup(read('secret/app?version=2'))).toMatchObject({ kind: 'secret', secret: { data: { data: { password: 'v2' } } } });
  });

  it('answers a missing or deleted secret with a final "no secret exists" error', async () => {
    const vault = fakeVault({
      'GET sys/internal/ui/mounts/secret/gone': mountRoute('secret/', '2'),
      'GET sys/internal/ui/mounts/secret/deleted': mountRoute('secret/', '2'),
      'GET secret/data/deleted': () => aSecret({ data: { data: null, metadata: { deletion_time: '2024-01-01T00:00:00Z', destroyed: false } } }),
    });
    const { store } = storeFor(vault);
    await store.fetch([read('secret/gone'), read('secret/deleted')]);
    expect(store.lookup(read('secret/gone'))).toEqual({ kind: 'error', message: 'no secret exists at secret/data/gone' });
    expect(store.lookup(read('secret/deleted'))).toEqual({ kind: 'error', message: 'no secret exists at secret/data/deleted' });
    expect(vault.sent().filter((line) => line.startsWith('GET secret/data/gone'))).toHaveLength(1); // not retried
  });

  it('treats a refused mount lookup as not KV v2, warning once', async () => {
    const vault = fakeVault({
      'GET sys/internal/ui/mounts/kv/app': (request) => {
        throw httpError(request, 403, ['permission denied']);
      },
      'GET kv/app': () => aSecret({ data: { a: '1' } }),
    });
    const { store, log } = storeFor(vault);
    await store.fetch([read('kv/app')]);
    expect(store.lookup(read('kv/app'))).toMatchObject({ kind: 'secret' });
    expect(log.lines().filter((line) => String(line.msg).includes('KV version'))).toHaveLength(1);
  });

  it("writes with the template's parameters (secret \"path\" \"k=v\")", async () => {
    const vault = fakeVault({ 'PUT pki/issue/web': (request) => aSecret({ data: { certificate: 'PEM', serial: String(request.body?.common_name) } }) });
    const { store } = storeFor(vault);
    const write: SecretRequest = { kind: 'write', path: 'pki/issue/web', params: { common_name: 'a.example.com' } };
    await store.fetch([write]);
    expect(vault.requests.at(-1)).toMatchObject({ method: 'PUT', path: 'pki/issue/web', body: { common_name: 'a.example.com' } });
    expect(store.lookup(write)).toMatchObject({ kind: 'secret', secret: { data: { serial: 'a.example.com' } } });
  });

  it('lists sorted keys, under metadata/ on KV v2, and an empty list for nothing', async () => {
    const vault = fakeVault({
      'GET sys/internal/ui/mounts/secret/apps': mountRoute('secret/', '2'),
      'LIST secret/metadata/apps': () => aSecret({ data: { keys: ['b', 'a/', 'c'] } }),
    });
    const { store } = storeFor(vault);
    await store.fetch([{ kind: 'list', path: 'secret/apps' }, { kind: 'list', path: 'secret/none' }]);
    expect(store.lookup({ kind: 'list', path: 'secret/apps' })).toEqual({ kind: 'list', keys: ['a/', 'b', 'c'] });
    expect(store.lookup({ kind: 'list', path: 'secret/none' })).toEqual({ kind: 'list', keys: [] });
  });
});

describe('failures', () => {
  it('retries transient failures after 250 ms, 500 ms, … and resolves once Vault answers', async () => {
    let failures = 3;
    const vault = fakeVault({
      'GET sys/internal/ui/mounts/kv/app': mountRoute('kv/', '1'),
      'GET kv/app': (request) => {
        if (failures-- > 0) throw httpError(request, 503, ['Vault is sealed']);
        return aSecret({ data: { a: '1' } });
      },
    });
    const { store, clock } = storeFor(vault);
    let done = false;
    const fetching = store.fetch([read('kv/app')]).then(() => (done = true));
    await clock.advance(0);
    expect(clock.pendingDelays()).toEqual([250]);
    await clock.advance(250);
    expect(clock.pendingDelays()).toEqual([500]);
    await clock.advance(500 + 1_000);
    await fetching;
    expect(done).toBe(true);
    expect(store.lookup(read('kv/app'))).toMatchObject({ kind: 'secret' });
    expect(store.freshness()).toEqual([]); // nothing tracked yet
  });

  it('gives up after 12 retries (about 5 minutes) with a message naming the path, status and errors', async () => {
    const vault = fakeVault({
      'GET sys/internal/ui/mounts/kv/app': mountRoute('kv/', '1'),
      'GET kv/app': (request) => {
        throw httpError(request, 500, ['internal error']);
      },
    });
    const { store, clock } = storeFor(vault);
    const fetching = store.fetch([read('kv/app')]);
    await clock.advance(310_000);
    await fetching;
    expect(vault.sent().filter((line) => line === 'GET kv/app')).toHaveLength(13);
    expect(store.lookup(read('kv/app'))).toEqual({ kind: 'error', message: 'GET kv/app failed with status 500: internal error' });
  });

  it('reports a revoked token and retries with the token of the new login', async () => {
    const vault = fakeVault({
      'GET sys/internal/ui/mounts/kv/app': mountRoute('kv/', '1'),
      'GET kv/app': () => aSecret({ data: { a: '1' } }),
    });
    vault.revoked.add('token-1');
    const tokens = testTokens({ reloginOnInvalid: true });
    const { store } = storeFor(vault, tokens);
    await store.fetch([read('kv/app')]);
    expect(tokens.invalid).toEqual(['token-1']);
    expect(vault.requests.at(-1)).toMatchObject({ path: 'kv/app', token: 'token-2' });
    expect(store.lookup(read('kv/app'))).toMatchObject({ kind: 'secret' });
  });

  it('ends with a permission error, without a new login, when the token is fine but the policy refuses', async () => {
    const vault = fakeVault({
      'GET sys/internal/ui/mounts/kv/app': mountRoute('kv/', '1'),
      'GET kv/app': (request) => {
        throw httpError(request, 403, ['permission denied']);
      },
    });
    const tokens = testTokens(); // finds the token valid: no new login
    const { store } = storeFor(vault, tokens);
    await store.fetch([read('kv/app')]);
    expect(store.lookup(read('kv/app'))).toEqual({ kind: 'error', message: 'GET kv/app failed with status 403: permission denied' });
    expect(tokens.invalid).toEqual(['token-1']);
    expect(vault.sent().filter((line) => line === 'GET kv/app')).toHaveLength(1);
  });
});
