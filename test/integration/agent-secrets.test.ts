// The secret store against a real OpenBao and a real PostgreSQL: KV v1/v2, static re-reads,
// dynamic database credentials through renewal, max TTL and revocation, PKI issue and pkiCert
// reuse, and a 15 s network outage. The long tests run concurrently on their own mounts.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSecretStore } from '../../agent/secrets/create-secret-store.js';
import type { SecretStore } from '../../agent/secrets/secret-store.js';
import type { SecretRequest, SecretValue } from '../../agent/templates/template-engine.js';
import { createHttpVaultClient } from '../../agent/vault/http-vault-client.js';
import { templateConfigSchema, vaultConnectionSchema, type TemplateConfig } from '../../contract/agent-config/index.js';
import { enableKvV1, enableKvV2, enablePki, uniqueName } from '../support/openbao-secrets.js';
import { configureDatabaseEngine, pgClientConfig } from '../support/postgres.js';
import { sharedOpenBao, sharedPostgres } from '../support/shared-test-bed.js';
import { startTcpProxy } from '../support/tcp-proxy.js';
import { makeTempDir, removeTempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';
import { capturingLogger, countingClient, rootTokens, type CountingClient } from './agent-secrets-support.js';

const bao = sharedOpenBao();
const CANARY = `canary-${uniqueName('pw')}`;
const logs: (() => string)[] = [];
const stores: SecretStore[] = [];
const clients: CountingClient[] = [];
let tempDir: string;

beforeAll(async () => {
  tempDir = await makeTempDir('agent-secrets');
});

afterAll(async () => {
  await Promise.all(stores.map((store) => store.stop()));
  await Promise.all(clients.map((client) => client.close()));
  await removeTempDir(tempDir);
  // No secret value reaches a log line, whatever the test did.
  for (const text of logs) expect(text()).not.toContain(CANARY);
});

function newStore(options: { address?: string; config?: Partial<TemplateConfig> } = {}): { store: SecretStore; client: CountingClient; changes: string[][] } {
  // The agent's own client with its defaults (GET/LIST retried twice at the HTTP level).
  const client = countingClient(createHttpVaultClient(vaultConnectionSchema.parse({ address: options.address ?? bao.addr, requestTimeoutMs: 5_000 })));
  const log = capturingLogger();
  logs.push(log.text);
  const store = createSecretStore({ client, tokens: rootTokens(bao.rootToken), config: { ...templateConfigSchema.parse({}), ...options.config }, logger: log.logger });
  stores.push(store);
  clients.push(client);
  const changes: string[][] = [];
  store.onChange((changed) => changes.push(changed.map((request) => request.path)));
  return { store, client, changes };
}

function dataOf(value: SecretValue | undefined): Record<string, unknown> {
  if (value?.kind !== 'secret') throw new Error(`expected a secret, got ${JSON.stringify(value)}`);
  return value.secret.data ?? {};
}

/** Logs in to PostgreSQL and returns `current_user`, or the error code. */
async function currentUser(data: Record<string, unknown>): Promise<string> {
  const client = new pg.Client(pgClientConfig(sharedPostgres(), { user: String(data.username), password: String(data.password) }));
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.query<{ current_user: string }>('select current_user')).rows[0]?.current_user ?? '';
  } catch (err) {
    return `error ${(err as { code?: string }).code ?? 'unknown'}`;
  } finally {
    await client.end().catch(() => {});
  }
}

async function leaseTtlS(leaseId: string): Promise<number> {
  const answer = (await bao.client().write('sys/leases/lookup', { lease_id: leaseId })) as { data: { ttl: number } };
  return answer.data.ttl;
}

describe('KV secrets', () => {
  it('detects KV v2 from the mount and reads data/; reads KV v1 as given', async () => {
    const v2 = uniqueName('kv2');
    const v1 = uniqueName('kv1');
    await enableKvV2(bao, v2);
    await enableKvV1(bao, v1);
    await bao.client().write(`${v2}/data/app`, { data: { password: CANARY } });
    await bao.client().write(`${v1}/app`, { password: CANARY });
    const { store, client } = newStore();
    const reads: SecretRequest[] = [{ kind: 'read', path: `${v2}/app` }, { kind: 'read', path: `${v1}/app` }];
    await store.fetch(reads);
    expect(dataOf(store.lookup(reads[0]!))).toMatchObject({ data: { password: CANARY }, metadata: { version: 1 } });
    expect(dataOf(store.lookup(reads[1]!))).toEqual({ password: CANARY });
    expect(client.requests.map((r) => `${r.method} ${r.path}`)).toEqual(
      expect.arrayContaining([`GET sys/internal/ui/mounts/${v2}/app`, `GET ${v2}/data/app`, `GET ${v1}/app`]),
    );
    const v1Value = store.lookup(reads[1]!);
    expect(v1Value?.kind === 'secret' && v1Value.secret.leaseDuration).toBeGreaterThan(0); // the mount TTL: 85–95 % of it applies
  });

  it('sees a new KV v2 version after the static interval; unchanged reads are no change', async () => {
    const mount = uniqueName('kv2');
    await enableKvV2(bao, mount);
    await bao.client().write(`${mount}/data/app`, { data: { password: 'one' } });
    const { store, client, changes } = newStore({ config: { staticSecretRenderIntervalMs: 1_000 } });
    const request: SecretRequest = { kind: 'read', path: `${mount}/app` };
    await store.fetch([request]);
    store.track([request]);
    await waitFor(async () => (client.count((r) => r.path === `${mount}/data/app`) >= 3 ? true : undefined), { what: 'two re-reads', timeoutMs: 5_000 });
    expect(changes).toEqual([]);

    await bao.client().write(`${mount}/data/app`, { data: { password: 'two' } });
    await waitFor(async () => (changes.length > 0 ? true : undefined), { what: 'the change', timeoutMs: 3_000 });
    expect(changes).toEqual([[`${mount}/app`]]);
    expect(dataOf(store.lookup(request))).toMatchObject({ data: { password: 'two' }, metadata: { version: 2 } });
  });
});

describe.concurrent('dynamic database credentials (10 s TTL, 30 s max TTL)', () => {
  it('renews the lease, then fetches new credentials at max TTL that log in to PostgreSQL', { timeout: 60_000 }, async () => {
    const path = await configureDatabaseEngine(bao, sharedPostgres(), { mount: uniqueName('database'), defaultTtl: '10s', maxTtl: '30s' });
    const { store, client, changes } = newStore();
    const request: SecretRequest = { kind: 'read', path };
    await store.fetch([request]);
    store.track([request]);
    const first = store.lookup(request);
    if (first?.kind !== 'secret') throw new Error('no credentials');
    expect(first.secret).toMatchObject({ renewable: true, leaseDuration: 10 });
    expect(await currentUser(first.secret.data ?? {})).toBe(first.secret.data?.username);

    // Renewed at once and again ~7 s later: 9 s in, the lease still has most of 10 s.
    await new Promise((resolve) => setTimeout(resolve, 9_000));
    expect(client.count((r) => r.path === 'sys/leases/renew' && r.outcome === 'ok')).toBeGreaterThanOrEqual(2);
    expect(await leaseTtlS(first.secret.leaseId)).toBeGreaterThanOrEqual(5);
    expect(changes).toEqual([]);

    await waitFor(async () => (changes.length > 0 ? true : undefined), { what: 'new credentials at max TTL', timeoutMs: 30_000, intervalMs: 200 });
    const second = store.lookup(request);
    if (second?.kind !== 'secret') throw new Error('no new credentials');
    expect(second.secret.leaseId).not.toBe(first.secret.leaseId);
    expect(second.secret.data?.username).not.toBe(first.secret.data?.username);
    expect(await currentUser(second.secret.data ?? {})).toBe(second.secret.data?.username);
    expect(client.count((r) => r.path === 'sys/leases/renew' && r.outcome === 'ok')).toBeGreaterThanOrEqual(4);
  });

  it('fetches new credentials at the next renewal after the lease was revoked', { timeout: 30_000 }, async () => {
    const path = await configureDatabaseEngine(bao, sharedPostgres(), { mount: uniqueName('database'), defaultTtl: '10s', maxTtl: '30s' });
    const { store, changes } = newStore();
    const request: SecretRequest = { kind: 'read', path };
    await store.fetch([request]);
    store.track([request]);
    const first = store.lookup(request);
    if (first?.kind !== 'secret') throw new Error('no credentials');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await bao.client().write('sys/leases/revoke', { lease_id: first.secret.leaseId });
    expect(await currentUser(first.secret.data ?? {})).toBe('error 28P01');

    await waitFor(async () => (changes.length > 0 ? true : undefined), { what: 'a re-fetch after revocation', timeoutMs: 12_000, intervalMs: 200 });
    const second = store.lookup(request);
    if (second?.kind !== 'secret') throw new Error('no new credentials');
    expect(await currentUser(second.secret.data ?? {})).toBe(second.secret.data?.username);
  });

  it('keeps the last values through a 15 s outage at a bounded request rate, and recovers', { timeout: 60_000 }, async () => {
    const kv = uniqueName('kv2');
    await enableKvV2(bao, kv);
    await bao.client().write(`${kv}/data/app`, { data: { password: CANARY } });
    const dbPath = await configureDatabaseEngine(bao, sharedPostgres(), { mount: uniqueName('database'), defaultTtl: '10s', maxTtl: '30s' });
    const proxy = await startTcpProxy(bao.addr);
    try {
      const { store, client } = newStore({ address: proxy.url, config: { staticSecretRenderIntervalMs: 1_000 } });
      const requests: SecretRequest[] = [{ kind: 'read', path: `${kv}/app` }, { kind: 'read', path: dbPath }];
      await store.fetch(requests);
      store.track(requests);
      const before = requests.map((request) => dataOf(store.lookup(request)));
      await new Promise((resolve) => setTimeout(resolve, 2_000));

      proxy.cut();
      const cutAt = Date.now();
      const connectionsAtCut = proxy.connectionCount();
      await new Promise((resolve) => setTimeout(resolve, 15_000));
      const attempts = client.requests.filter((r) => r.at >= cutAt).length;
      const connections = proxy.connectionCount() - connectionsAtCut;
      // Two secrets backing off from 250 ms, each attempt retried twice by the HTTP client: 7
      // attempts over 16 connections measured in 15 s; a busy loop would make thousands.
      expect(attempts).toBeLessThanOrEqual(20);
      expect(connections).toBeLessThanOrEqual(45);
      expect(requests.map((request) => dataOf(store.lookup(request)))).toEqual(before);
      expect(store.freshness().every((f) => f.consecutiveErrors > 0)).toBe(true);

      proxy.restore();
      const restoredAt = Date.now();
      await waitFor(async () => (store.freshness().every((f) => f.consecutiveErrors === 0 && (f.lastSuccessMs ?? 0) >= restoredAt) ? true : undefined), {
        what: 'recovery after the outage',
        timeoutMs: 25_000,
        intervalMs: 200,
      });
      expect(dataOf(store.lookup(requests[0]!))).toMatchObject({ data: { password: CANARY } });
      // The database lease ran out during the outage: the credentials now are new ones, and work.
      const creds = store.lookup(requests[1]!);
      expect(await currentUser(dataOf(creds))).toBe(dataOf(creds).username);
    } finally {
      await proxy.stop();
    }
  });
});

describe('PKI', () => {
  let pki: { path: string; role: string };
  beforeAll(async () => {
    pki = await enablePki(bao, uniqueName('pki'), { role: 'web', allowedDomains: ['example.com'] });
  });

  it('issues a certificate through secret "pki/issue/role" "common_name=…" and refreshes it from its expiration', async () => {
    const { store } = newStore();
    const request: SecretRequest = { kind: 'write', path: `${pki.path}/issue/web`, params: { common_name: 'a.example.com', ttl: '1h' } };
    await store.fetch([request]);
    const data = dataOf(store.lookup(request));
    expect(data.certificate).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(typeof data.expiration).toBe('number');
  });

  it('pkiCert issues once, reuses the certificate on disk with no Vault call, and replaces one near expiry', async () => {
    const destination = join(tempDir, 'pki', 'web.pem');
    await mkdir(join(tempDir, 'pki'), { recursive: true });
    const request: SecretRequest = { kind: 'pkiCert', path: `${pki.path}/issue/web`, params: { common_name: 'web.example.com', ttl: '1h' }, destination };

    const first = newStore();
    await first.store.fetch([request]);
    expect(first.client.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`PUT ${pki.path}/issue/web`]);
    const issued = first.store.lookup(request);
    if (issued?.kind !== 'pkiCert') throw new Error('no certificate');
    await writeFile(destination, `${issued.certificate.Cert}${issued.certificate.Key}${issued.certificate.CA}`);

    const restarted = newStore();
    await restarted.store.fetch([request]);
    expect(restarted.client.requests).toEqual([]);
    expect(restarted.store.lookup(request)).toEqual(issued);

    // A 2 s certificate (NotBefore backdated 30 s by Vault) is past 90 % of its life at once.
    const short = (await bao.client().write(`${pki.path}/issue/web`, { common_name: 'web.example.com', ttl: '2s' })) as { data: { certificate: string } };
    await writeFile(destination, short.data.certificate);
    const third = newStore();
    await third.store.fetch([request]);
    expect(third.client.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`PUT ${pki.path}/issue/web`]);
    const replaced = third.store.lookup(request);
    expect(replaced?.kind === 'pkiCert' && replaced.certificate.Cert).not.toBe(issued.certificate.Cert);
  });
});
