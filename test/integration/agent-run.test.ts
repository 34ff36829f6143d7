// The agent as a process (`node --import tsx agent/main.ts --config … --root-dir …`) against the
// shared OpenBao and PostgreSQL: kubernetes auth (OpenBao's JWT auth mounted as a kubernetes
// mount, with a token signed by a test key), init/sidecar/native-sidecar runs, a cut connection to
// Vault, readiness and quit — and no secret in any log line. (The 1 ms reader across 100
// rotations is in agent-run-rotations.test.ts: the store re-reads a secret at most once a second.)
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentConfigInput, AgentTemplateInput } from '../../contract/agent-config/index.js';
import { defaultTemplateContents } from '../../webhook/templates/default-templates.js';
import { getFreePort } from '../support/free-port.js';
import { startManagedProcess, type ManagedProcess } from '../support/managed-process.js';
import { enableJwtAuth, type JwtAuth } from '../support/openbao-auth.js';
import { enableKvV2, uniqueName, writePolicy } from '../support/openbao-secrets.js';
import type { OpenBaoConnection } from '../support/openbao.js';
import { configureDatabaseEngine } from '../support/postgres.js';
import { sharedOpenBao, sharedPostgres } from '../support/shared-test-bed.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { makeTempDir, removeTempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';

const repo = resolve(import.meta.dirname, '../..');
const CANARY = `canary-${randomBytes(12).toString('hex')}`;
/** Every agent's log file, and every secret that must never be in one. */
const logFiles: string[] = [];
const material: string[] = [CANARY];

let bao: OpenBaoConnection;
let dir: string;
let kv: string;
let dbPath: string;
let k8sMount: string;
let jwtAuth: JwtAuth;

beforeAll(async () => {
  bao = sharedOpenBao();
  dir = await makeTempDir('agent-run');
  kv = uniqueName('agent-kv');
  await enableKvV2(bao, kv);
  const client = bao.client();
  await client.write(`${kv}/data/app`, { data: { username: 'app-user', password: CANARY } });
  await client.write(`${kv}/data/rotating`, { data: { value: 'v0' } });
  await client.write(`${kv}/data/static`, { data: { value: 'same' } });
  const db = uniqueName('agent-db');
  dbPath = await configureDatabaseEngine(bao, sharedPostgres(), { mount: db, role: 'app', defaultTtl: '1h', maxTtl: '2h', connection: uniqueName('conn') });
  const policy = uniqueName('agent');
  await writePolicy(bao, policy, `path "${kv}/*" { capabilities = ["read", "list"] }\npath "${db}/creds/*" { capabilities = ["read"] }`);
  k8sMount = uniqueName('kubernetes');
  jwtAuth = await enableJwtAuth(bao, k8sMount, 'app', [policy], { boundSubject: 'system:serviceaccount:shop:orders' });
});
afterAll(() => removeTempDir(dir));

const SA_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

function config(mode: AgentConfigInput['mode'], templates: AgentTemplateInput[], overrides: Partial<AgentConfigInput> = {}): AgentConfigInput {
  return {
    version: 1,
    mode,
    vault: { address: bao.addr },
    auth: { method: 'kubernetes', role: 'app', mountPath: `auth/${k8sMount}`, minBackoffMs: 200 },
    templates,
    log: { level: 'debug', format: 'json' },
    ...overrides,
  };
}

interface Agent {
  process: ManagedProcess;
  /** A config path as the agent sees it, under its root directory. */
  path(absolute: string): string;
  writeJwt(): Promise<void>;
  exitStatus(timeoutMs?: number): Promise<string | undefined>;
}

async function startAgent(name: string, input: AgentConfigInput, options: { jwt?: boolean; env?: Record<string, string> } = {}): Promise<Agent> {
  const agentDir = join(dir, name);
  const root = join(agentDir, 'root');
  await mkdir(root, { recursive: true });
  const path = (absolute: string): string => join(root, absolute);
  const writeJwt = async (): Promise<void> => {
    const jwt = jwtAuth.signJwt({ sub: 'system:serviceaccount:shop:orders' }, 3_600);
    material.push(jwt);
    await mkdir(dirname(path(SA_TOKEN)), { recursive: true });
    await writeFile(path(SA_TOKEN), `${jwt}\n`);
  };
  if (options.jwt !== false) await writeJwt();
  const configFile = join(agentDir, 'config.json');
  await writeFile(configFile, JSON.stringify(input));
  const logFile = join(agentDir, 'agent.log');
  logFiles.push(logFile);
  const child = startManagedProcess({
    command: process.execPath,
    args: ['--import', 'tsx', join(repo, 'agent/main.ts'), '--config', configFile, '--root-dir', root],
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: agentDir, ...options.env },
    cwd: repo,
    logFile,
    stopGraceMs: 10_000,
  });
  return {
    process: child,
    path,
    writeJwt,
    async exitStatus(timeoutMs = 30_000) {
      await Promise.race([child.exited, sleep(timeoutMs)]);
      return child.exitStatus();
    },
  };
}

async function readWhenPresent(path: string, timeoutMs = 20_000): Promise<string> {
  return waitFor(() => readFile(path, 'utf8').catch(() => undefined), { what: path, timeoutMs, intervalMs: 20 });
}

async function logLines(agent: Agent): Promise<Record<string, unknown>[]> {
  const text = await readFile(agent.process.logFile, 'utf8');
  return text.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
}

const handlebarsValue = (path: string): string => `{{#with (secret "${path}")}}{{Data.data.value}}{{/with}}`;

describe('the agent against OpenBao', () => {
  it('in init mode renders a default-template file, handlebars files and a database credential, writes the token sink, and exits 0', async () => {
    const agent = await startAgent('init', config('init', [
      { name: 'app', destination: '/vault/secrets/app', engine: 'go', contents: defaultTemplateContents('map', `${kv}/app`) },
      { name: 'app.env', destination: '/vault/secrets/app.env', engine: 'handlebars', perms: 0o600,
        contents: `{{#with (secret "${kv}/data/app")}}USER={{Data.data.username}}\nPASSWORD={{Data.data.password}}\n{{/with}}` },
      { name: 'db', destination: '/vault/secrets/db', engine: 'handlebars', contents: `{{#with (secret "${dbPath}")}}{{Data.username}}:{{Data.password}}{{/with}}` },
    ]));
    expect(await agent.exitStatus(), await agent.process.logTail(material)).toBe('exit code 0');
    const app = await readFile(agent.path('/vault/secrets/app'), 'utf8');
    expect(app).toMatch(new RegExp(`^data: map\\[password:${CANARY} username:app-user\\]\\nmetadata: map\\[created_time:\\S+ custom_metadata:<nil> deletion_time: destroyed:false version:1\\]\\n$`));
    expect(await readFile(agent.path('/vault/secrets/app.env'), 'utf8')).toBe(`USER=app-user\nPASSWORD=${CANARY}\n`);
    expect((await stat(agent.path('/vault/secrets/app.env'))).mode & 0o777).toBe(0o600);
    expect((await stat(agent.path('/vault/secrets/app'))).mode & 0o777).toBe(0o644);
    const [user, password] = (await readFile(agent.path('/vault/secrets/db'), 'utf8')).split(':');
    expect(user).toMatch(/^v-/);
    material.push(password ?? '');
    const token = await readFile(agent.path('/home/vault/.vault-token'), 'utf8');
    expect((await stat(agent.path('/home/vault/.vault-token'))).mode & 0o777).toBe(0o640);
    material.push(token.trim());
    const lookup = (await bao.client(token.trim()).tokenLookupSelf()) as { data: { policies: string[] } };
    expect(lookup.data.policies.length).toBeGreaterThan(0);
  });

  it('in init mode with Vault unreachable gives up after initTimeoutMs with a line naming each secret', async () => {
    const port = await getFreePort();
    const started = Date.now();
    const agent = await startAgent('init-unreachable', config('init', [
      { name: 'app', destination: '/vault/secrets/app', engine: 'go', contents: defaultTemplateContents('map', `${kv}/app`) },
    ], { vault: { address: `http://127.0.0.1:${port}` }, templateConfig: { initTimeoutMs: 2_000 } }));
    expect(await agent.exitStatus()).toBe('exit code 1');
    expect(Date.now() - started).toBeLessThan(15_000);
    const report = (await logLines(agent)).filter((line) => line.msg === 'secret not rendered');
    expect(report).toMatchObject([{ template: 'app', destination: agent.path('/vault/secrets/app'), reason: expect.stringMatching(/^not logged in to Vault: .+/) }]);
    await expect(stat(agent.path('/vault/secrets/app'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('in init mode keeps retrying a secret that does not exist yet: done once it is written, else a report naming it', async () => {
    const lateTemplate = (name: string): AgentTemplateInput => ({ name, destination: `/vault/secrets/${name}`, engine: 'handlebars', contents: handlebarsValue(`${kv}/data/${name}`) });
    const late = await startAgent('init-late', config('init', [lateTemplate('late')], { templateConfig: { initTimeoutMs: 20_000 } }));
    const never = await startAgent('init-never', config('init', [lateTemplate('never')], { templateConfig: { initTimeoutMs: 3_000 } }));
    await sleep(1_500);
    expect(late.process.exitStatus()).toBeUndefined();
    await bao.client().write(`${kv}/data/late`, { data: { value: 'finally' } });
    expect(await late.exitStatus()).toBe('exit code 0');
    expect(await readFile(late.path('/vault/secrets/late'), 'utf8')).toBe('finally');
    expect(await never.exitStatus()).toBe('exit code 1');
    const report = (await logLines(never)).filter((line) => line.msg === 'secret not rendered');
    expect(report).toMatchObject([{ template: 'never', destination: never.path('/vault/secrets/never'), reason: expect.stringContaining(`${kv}/data/never`) }]);
  });

  it('in sidecar mode re-renders a KV v2 change within the static interval and leaves an unchanged file alone', async () => {
    const metricsPort = await getFreePort();
    const agent = await startAgent('sidecar', config('sidecar', [
      { name: 'rotating', destination: '/vault/secrets/rotating', engine: 'handlebars', contents: handlebarsValue(`${kv}/data/rotating`) },
      { name: 'static', destination: '/vault/secrets/static', engine: 'go', contents: defaultTemplateContents('map', `${kv}/static`) },
    ], { templateConfig: { staticSecretRenderIntervalMs: 1_000 }, metrics: { port: metricsPort } }));
    expect(await readWhenPresent(agent.path('/vault/secrets/rotating'))).toBe('v0');
    const before = await stat(agent.path('/vault/secrets/static'));
    await bao.client().write(`${kv}/data/rotating`, { data: { value: 'v1' } });
    const written = Date.now();
    await waitFor(async () => ((await readFile(agent.path('/vault/secrets/rotating'), 'utf8')) === 'v1' ? true : undefined), { what: 'the rotated value', timeoutMs: 5_000, intervalMs: 20 });
    expect(Date.now() - written).toBeLessThan(2_500);
    await sleep(1_500); // at least one more refresh of both secrets
    const after = await stat(agent.path('/vault/secrets/static'));
    expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(metrics).toMatch(/^vault_injector_agent_secret_last_render_timestamp_seconds\{template="static"\} \d+/m);
    expect(metrics).toMatch(/^vault_injector_agent_secret_consecutive_errors\{template="rotating"\} 0$/m);
    expect(metrics).toMatch(/^vault_injector_agent_authenticated 1$/m);
    await agent.process.stop();
    expect(agent.process.exitStatus()).toBe('exit code 0');
  });

  it('keeps its files through a 15 s cut to Vault without a busy loop, and catches up after', async () => {
    const proxy: TcpProxy = await startTcpProxy(bao.addr);
    try {
      const agent = await startAgent('outage', config('sidecar', [
        { name: 'rotating', destination: '/vault/secrets/outage', engine: 'handlebars', contents: handlebarsValue(`${kv}/data/outage`) },
        { name: 'static', destination: '/vault/secrets/outage-static', engine: 'go', contents: defaultTemplateContents('map', `${kv}/static`) },
      ], {
        vault: { address: `http://127.0.0.1:${proxy.port}`, requestTimeoutMs: 2_000 },
        templateConfig: { staticSecretRenderIntervalMs: 500, retry: { backoffMs: 250, maxBackoffMs: 2_000 } },
      }), { env: {} });
      await bao.client().write(`${kv}/data/outage`, { data: { value: 'before' } });
      expect(await readWhenPresent(agent.path('/vault/secrets/outage'))).toBe('before');
      await readWhenPresent(agent.path('/vault/secrets/outage-static'));
      const files = ['/vault/secrets/outage', '/vault/secrets/outage-static'].map(agent.path);
      const snapshot = async (): Promise<string> => JSON.stringify(await Promise.all(files.map(async (f) => [(await stat(f)).ino, (await stat(f)).mtimeMs, await readFile(f, 'utf8')])));
      const before = await snapshot();

      proxy.cut();
      const connectionsAtCut = proxy.connectionCount();
      await bao.client().write(`${kv}/data/outage`, { data: { value: 'after' } });
      for (let second = 0; second < 15; second++) {
        await sleep(1_000);
        expect(await snapshot()).toBe(before);
      }
      const attempts = proxy.connectionCount() - connectionsAtCut;
      // Two secrets refreshing every 0.5 s with retries backing off to 2 s: a few attempts a
      // second at most (21 measured). A busy loop would make thousands.
      expect(attempts).toBeLessThan(45);

      proxy.restore();
      await waitFor(async () => ((await readFile(files[0] as string, 'utf8')) === 'after' ? true : undefined), { what: 'the update after the outage', timeoutMs: 10_000, intervalMs: 50 });
      expect(agent.process.exitStatus()).toBeUndefined();
      await agent.process.stop();
      expect(agent.process.exitStatus()).toBe('exit code 0');
    } finally {
      await proxy.stop();
    }
  }, 60_000);

  it('as a native sidecar answers 503 until the first full render, then 200; quits on POST /agent/v1/quit and revokes its token', async () => {
    const [healthPort, quitPort] = [await getFreePort(), await getFreePort()];
    const agent = await startAgent('native', config('native-sidecar', [
      { name: 'app', destination: '/vault/secrets/app', engine: 'go', contents: defaultTemplateContents('map', `${kv}/app`) },
    ], { health: { port: healthPort }, listener: { address: `127.0.0.1:${quitPort}`, enableQuit: true }, revokeOnShutdown: true }), { jwt: false });
    const readyz = (): Promise<number> => fetch(`http://127.0.0.1:${healthPort}/readyz`).then((r) => r.status);
    expect(await waitFor(() => readyz().catch(() => undefined), { what: 'the health endpoint', timeoutMs: 15_000 })).toBe(503);
    await sleep(500);
    expect(await readyz()).toBe(503); // no service-account token yet: login keeps failing
    await agent.writeJwt();
    await waitFor(async () => ((await readyz()) === 200 ? true : undefined), { what: 'readiness', timeoutMs: 15_000, intervalMs: 50 });
    expect(await readFile(agent.path('/vault/secrets/app'), 'utf8')).toContain(CANARY);
    const token = (await readFile(agent.path('/home/vault/.vault-token'), 'utf8')).trim();
    material.push(token);
    expect((await fetch(`http://127.0.0.1:${quitPort}/agent/v1/quit`, { method: 'POST' })).status).toBe(200);
    expect(await agent.exitStatus()).toBe('exit code 0');
    await expect(bao.client(token).tokenLookupSelf()).rejects.toThrow();
  });

  it('never writes a secret value, token or JWT to any log line', async () => {
    expect(logFiles.length).toBeGreaterThanOrEqual(7);
    const leaks: string[] = [];
    let lines = 0;
    for (const file of logFiles) {
      for (const line of (await readFile(file, 'utf8')).split('\n')) {
        lines++;
        for (const secret of material.filter((m) => m.length >= 8)) if (line.includes(secret)) leaks.push(`${file}: a secret of ${secret.length} chars`);
      }
    }
    expect(lines).toBeGreaterThan(50);
    expect(leaks).toEqual([]);
  });
});
