// The agent's V8 startup snapshot as the image uses it: `npm run build` (scripts/build.ts) writes
// dist/agent.blob, agent.blob.id and agent.sh; agent.sh starts the blob when the node on the PATH
// built it, else agent.js. Against the shared OpenBao: files rendered from the snapshot, argv,
// env and cwd read when a run starts (not frozen at build time), and the fallbacks.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, cp, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { delimiter, dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AGENT_CONFIG_ENV_VAR,
  agentConfigEnvVars,
  encodeAgentConfig,
  parseAgentConfig,
  type AgentConfigInput,
} from '../../contract/agent-config/index.js';
import { ROOT_DIR_ENV_VAR } from '../../agent/run/agent-flags.js';
import { defaultTemplateContents } from '../../webhook/templates/default-templates.js';
import { enableKvV2, uniqueName, writePolicy } from '../support/openbao-secrets.js';
import type { OpenBaoConnection } from '../support/openbao.js';
import { getFreePort } from '../support/free-port.js';
import { startManagedProcess, type ManagedProcess } from '../support/managed-process.js';
import { sharedOpenBao } from '../support/shared-test-bed.js';
import { makeTempDir, removeTempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait-for.js';

const run = promisify(execFile);
const repo = resolve(import.meta.dirname, '../..');
/** Set while building: must not be in the blob, nor seen by a run. */
const BUILD_CANARY = `build-time-${randomBytes(8).toString('hex')}`;
const SECRET = `snapshot-secret-${randomBytes(8).toString('hex')}`;
/** The node that built the blob first on the PATH, as in the image. */
const NODE_FIRST_PATH = [dirname(process.execPath), process.env.PATH ?? '/usr/bin:/bin'].join(delimiter);

let bao: OpenBaoConnection;
let dir: string;
let dist: string;
let kv: string;
let token: string;

beforeAll(async () => {
  bao = sharedOpenBao();
  dir = await makeTempDir('agent-snapshot');
  dist = join(dir, 'dist');
  // Build-time environment full of canaries: nothing of it may reach the blob.
  await run(process.execPath, ['--import', 'tsx', 'scripts/build.ts', '--outdir', dist], {
    cwd: repo,
    env: { ...process.env, [ROOT_DIR_ENV_VAR]: `/${BUILD_CANARY}`, SNAPSHOT_TEST_VALUE: BUILD_CANARY, [AGENT_CONFIG_ENV_VAR]: BUILD_CANARY },
  });
  kv = uniqueName('snap-kv');
  await enableKvV2(bao, kv);
  const client = bao.client();
  await client.write(`${kv}/data/app`, { data: { password: SECRET } });
  const policy = uniqueName('snap');
  await writePolicy(bao, policy, `path "${kv}/*" { capabilities = ["read", "list"] }\npath "sys/internal/ui/mounts/*" { capabilities = ["read"] }`);
  const created = (await client.write('auth/token/create', { policies: [policy], ttl: '1h' })) as { auth: { client_token: string } };
  token = created.auth.client_token;
}, 300_000);
afterAll(() => removeTempDir(dir));

function config(): AgentConfigInput {
  return {
    version: 1,
    mode: 'init',
    vault: { address: bao.addr },
    auth: { method: 'token_file', tokenFilePath: '/vault/token' },
    templates: [
      { name: 'app', destination: '/vault/secrets/app', engine: 'go', contents: defaultTemplateContents('map', `${kv}/app`) },
      {
        name: 'env',
        destination: '/vault/secrets/env',
        engine: 'handlebars',
        contents: `{{#with (secret "${kv}/data/app")}}{{Data.data.password}}{{/with}} {{env "SNAPSHOT_TEST_VALUE"}}`,
      },
    ],
    log: { level: 'info', format: 'json' },
  };
}

/** A root directory with the token file in it; returns its path. */
async function rootWithToken(name: string): Promise<string> {
  const root = join(dir, name);
  await mkdir(join(root, 'vault'), { recursive: true });
  await writeFile(join(root, 'vault/token'), token, { mode: 0o600 });
  return root;
}

interface Outcome {
  code: number;
  stderr: string;
  /** JSON log lines (stdout). */
  logs: Record<string, unknown>[];
}

async function launch(launcher: string, args: string[], options: { env?: Record<string, string>; cwd?: string; path?: string } = {}): Promise<Outcome> {
  const env = { PATH: options.path ?? NODE_FIRST_PATH, HOME: dir, ...options.env };
  try {
    const { stdout, stderr } = await run(launcher, args, { env, cwd: options.cwd ?? dir, timeout: 60_000 });
    return { code: 0, stderr, logs: parseLogs(stdout) };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stderr: failed.stderr ?? '', logs: parseLogs(failed.stdout ?? '') };
  }
}

/** A long-running agent (a sidecar mode) started by agent.sh from the blob, with `config()` changed by `overrides`. */
async function startFromBlob(name: string, overrides: Partial<AgentConfigInput>, testValue: string): Promise<{ agent: ManagedProcess; root: string }> {
  const root = await rootWithToken(name);
  const configFile = join(dir, `${name}.json`);
  await writeFile(configFile, JSON.stringify({ ...config(), ...overrides }));
  const agent = startManagedProcess({
    command: join(dist, 'agent.sh'),
    args: ['--config', configFile, '--root-dir', root],
    env: { PATH: NODE_FIRST_PATH, HOME: dir, SNAPSHOT_TEST_VALUE: testValue },
    logFile: join(dir, `${name}.log`),
  });
  return { agent, root };
}

function parseLogs(stdout: string): Record<string, unknown>[] {
  return stdout.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
}

const starting = (outcome: Outcome): Record<string, unknown> | undefined => outcome.logs.find((line) => line.msg === 'agent starting');

async function expectRendered(root: string, envValue: string): Promise<void> {
  expect(await readFile(join(root, 'vault/secrets/app'), 'utf8')).toMatch(new RegExp(`^data: map\\[password:${SECRET}\\]\\nmetadata: map\\[`));
  expect(await readFile(join(root, 'vault/secrets/env'), 'utf8')).toBe(`${SECRET} ${envValue}`);
}

describe('the agent startup snapshot', () => {
  it('is built with the launcher and the id of the node that built it, and holds nothing of the build environment', async () => {
    const binary = await stat(process.execPath);
    const id = await readFile(join(dist, 'agent.blob.id'), 'utf8');
    expect(id.split('\n')[0]).toBe(`${binary.size} ${Math.floor(binary.mtimeMs / 1_000)}`);
    expect((await stat(join(dist, 'agent.sh'))).mode & 0o111).toBe(0o111);
    const blob = await readFile(join(dist, 'agent.blob'));
    expect(blob.length).toBeGreaterThan(1_000_000);
    expect(blob.includes(BUILD_CANARY)).toBe(false);
  });

  it('started by agent.sh, renders go and handlebars templates from OpenBao and exits 0', async () => {
    const root = await rootWithToken('from-snapshot');
    const configFile = join(dir, 'from-snapshot.json');
    await writeFile(configFile, JSON.stringify(config()));
    const outcome = await launch(join(dist, 'agent.sh'), ['--config', configFile, '--root-dir', root], { env: { SNAPSHOT_TEST_VALUE: 'run-1' } });
    expect(outcome).toMatchObject({ code: 0, stderr: '' });
    expect(starting(outcome)).toMatchObject({ snapshot: true, rootDir: root, templates: 2 });
    // The last line before the process exits (at once, once nothing is left to write) came through the pipe.
    expect(outcome.logs.at(-1)).toMatchObject({ msg: 'agent stopped', exitCode: 0 });
    await expectRendered(root, 'run-1');
    expect(JSON.stringify(outcome.logs)).not.toContain(SECRET);
  });

  it("takes the webhook's checked config as it stands, and validates any other (zod evaluated on first use, in the blob)", async () => {
    const input = parseAgentConfig(config());
    if (!input.ok) throw new Error('test config invalid');
    const vars = agentConfigEnvVars(input.config);
    if (!vars.ok) throw new Error('test config too large');
    const fromWebhook = Object.fromEntries(vars.env.map(({ name, value }) => [name, value]));
    const checkedRoot = await rootWithToken('checked');
    const checked = await launch(join(dist, 'agent.sh'), ['--root-dir', checkedRoot], { env: { ...fromWebhook, SNAPSHOT_TEST_VALUE: 'checked' } });
    expect(checked).toMatchObject({ code: 0, stderr: '' });
    expect(starting(checked)).toMatchObject({ snapshot: true, config: 'checked' });
    await expectRendered(checkedRoot, 'checked');

    const editedRoot = await rootWithToken('edited');
    const edited = { ...fromWebhook, [AGENT_CONFIG_ENV_VAR]: JSON.stringify({ ...input.config, templates: [] }) };
    const validated = await launch(join(dist, 'agent.sh'), ['--root-dir', editedRoot], { env: edited });
    expect(validated).toMatchObject({ code: 0, stderr: '' });
    expect(starting(validated)).toMatchObject({ snapshot: true, config: 'validated', templates: 0 });

    const invalid = await launch(join(dist, 'agent.sh'), [], { env: { ...fromWebhook, [AGENT_CONFIG_ENV_VAR]: JSON.stringify({ ...input.config, mode: 'sometimes' }) } });
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain('  - mode: ');
  });

  it('as a native sidecar from the snapshot, serves readiness once rendered and stops on SIGTERM with exit 0', async () => {
    const healthPort = await getFreePort();
    const { agent, root } = await startFromBlob('native-sidecar', { mode: 'native-sidecar', health: { port: healthPort } }, 'sidecar');
    try {
      const readyz = (): Promise<number | undefined> => fetch(`http://127.0.0.1:${healthPort}/readyz`).then((r) => (r.status === 200 ? 200 : undefined), () => undefined);
      expect(await waitFor(readyz, { what: 'readiness', timeoutMs: 15_000 })).toBe(200);
      await expectRendered(root, 'sidecar');
    } finally {
      await agent.stop();
    }
    expect(agent.exitStatus()).toBe('exit code 0');
    expect(parseLogs(await readFile(agent.logFile, 'utf8')).find((line) => line.msg === 'agent starting')).toMatchObject({ snapshot: true, mode: 'native-sidecar' });
  });

  it('as a sidecar from the snapshot, keeps running on its timers after the first render (no timer state of the build left in the blob)', async () => {
    // A plain sidecar has no listener: only its timers (token renewal, the 5-minute static secret
    // re-read) keep it alive. A timer list left pending while the blob was built (an unref'd timer
    // cleared during the warm-up) keeps Node from ever scheduling a later timer in a run, and the
    // sidecar then exits as soon as its first render is done.
    const { agent, root } = await startFromBlob('sidecar', { mode: 'sidecar' }, 'plain-sidecar');
    try {
      const rendered = async (): Promise<true | undefined> =>
        parseLogs(await readFile(agent.logFile, 'utf8')).some((line) => line.msg === 'every template rendered') ? true : undefined;
      await waitFor(rendered, { what: 'the first render', timeoutMs: 15_000 });
      await expectRendered(root, 'plain-sidecar');
      await new Promise((resolveWait) => setTimeout(resolveWait, 2_000));
      expect(agent.exitStatus(), await agent.logTail()).toBeUndefined();
    } finally {
      await agent.stop();
    }
    expect(agent.exitStatus()).toBe('exit code 0');
    const logs = parseLogs(await readFile(agent.logFile, 'utf8'));
    expect(logs.find((line) => line.msg === 'agent starting')).toMatchObject({ snapshot: true, mode: 'sidecar' });
    expect(logs.some((line) => line.msg === 'agent stopping')).toBe(true);
  });

  it('reaches Vault through an HTTP proxy from the snapshot (undici, compiled on first use)', async () => {
    let tunnels = 0;
    const proxy: Server = createServer((_request, response) => response.writeHead(405).end());
    proxy.on('connect', (request, client, head) => {
      tunnels++;
      const [host, port] = (request.url ?? '').split(':');
      const upstream = connect(Number(port), host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(client).on('error', () => undefined);
        client.pipe(upstream).on('error', () => undefined);
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    await new Promise<void>((resolveListen) => proxy.listen(0, '127.0.0.1', resolveListen));
    try {
      const root = await rootWithToken('through-proxy');
      const configFile = join(dir, 'through-proxy.json');
      const proxyAddress = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
      await writeFile(configFile, JSON.stringify({ ...config(), vault: { address: bao.addr, proxyAddress } }));
      const outcome = await launch(join(dist, 'agent.sh'), ['--config', configFile, '--root-dir', root], { env: { SNAPSHOT_TEST_VALUE: 'proxied' } });
      expect(outcome).toMatchObject({ code: 0, stderr: '' });
      expect(starting(outcome)).toMatchObject({ snapshot: true });
      await expectRendered(root, 'proxied');
      expect(tunnels).toBeGreaterThan(0);
    } finally {
      proxy.closeAllConnections();
      await new Promise((resolveClose) => proxy.close(resolveClose));
    }
  });

  it('reads argv, env and cwd when a run starts, not when the blob was built', async () => {
    const input = parseAgentConfig(config());
    if (!input.ok) throw new Error('test config invalid');
    // Config and root directory from the environment, as the webhook delivers them.
    const fromEnv = await rootWithToken('root-from-env');
    const byEnv = await launch(join(dist, 'agent.sh'), [], {
      env: { [AGENT_CONFIG_ENV_VAR]: encodeAgentConfig(input.config), [ROOT_DIR_ENV_VAR]: fromEnv, SNAPSHOT_TEST_VALUE: 'run-2' },
    });
    expect(byEnv).toMatchObject({ code: 0, stderr: '' });
    expect(starting(byEnv)).toMatchObject({ snapshot: true, rootDir: fromEnv });
    await expectRendered(fromEnv, 'run-2');

    // A relative --root-dir (the flag wins over the environment) against this run's cwd.
    const fromFlag = await rootWithToken('root-from-flag');
    const byFlag = await launch(join(dist, 'agent.sh'), ['--root-dir', 'root-from-flag'], {
      cwd: dir,
      env: { [AGENT_CONFIG_ENV_VAR]: encodeAgentConfig(input.config), [ROOT_DIR_ENV_VAR]: fromEnv, SNAPSHOT_TEST_VALUE: 'run-3' },
    });
    expect(byFlag).toMatchObject({ code: 0, stderr: '' });
    expect(starting(byFlag)).toMatchObject({ snapshot: true, rootDir: fromFlag });
    await expectRendered(fromFlag, 'run-3');

    // No config anywhere: the build-time VAULT_INJECTOR_AGENT_CONFIG was not kept.
    const none = await launch(join(dist, 'agent.sh'), []);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain(AGENT_CONFIG_ENV_VAR);
    expect(none.stderr).not.toContain(BUILD_CANARY);

    // Flags are the agent's, not node's: an unknown one is reported by the agent.
    const unknown = await launch(join(dist, 'agent.sh'), ['--inspect-nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("vault-injector agent: Unknown option '--inspect-nope'");
  });

  it("the agent image's entry (image-entry.sh) starts the agent from the blob, agent.js under NODE_OPTIONS, other commands from the CLI bundle", async () => {
    // The image's file with its /app/dist pointed at this build.
    const entry = join(dir, 'vault-injector');
    await writeFile(entry, (await readFile(join(repo, 'agent/snapshot/image-entry.sh'), 'utf8')).replaceAll('/app/dist', dist), { mode: 0o755 });
    const configFile = join(dir, 'image-entry.json');
    await writeFile(configFile, JSON.stringify(config()));

    const fromBlob = await rootWithToken('image-entry-blob');
    const direct = await launch(entry, ['agent', '--config', configFile, '--root-dir', fromBlob], { env: { SNAPSHOT_TEST_VALUE: 'image' } });
    expect(direct).toMatchObject({ code: 0, stderr: '' });
    expect(starting(direct)).toMatchObject({ snapshot: true, rootDir: fromBlob });
    await expectRendered(fromBlob, 'image');

    const withOptions = await rootWithToken('image-entry-node-options');
    const plain = await launch(entry, ['agent', '--config', configFile, '--root-dir', withOptions], {
      env: { NODE_OPTIONS: '--max-old-space-size=64', SNAPSHOT_TEST_VALUE: 'image-options' },
    });
    expect(plain.code).toBe(0);
    expect(plain.stderr).toContain('NODE_OPTIONS is set; starting from');
    expect(starting(plain)).toMatchObject({ snapshot: false });
    await expectRendered(withOptions, 'image-options');

    const cli = await launch(entry, ['--help']);
    expect(cli).toMatchObject({ code: 0, stderr: '' });
  });

  it('falls back to agent.js when the node on the PATH did not build the blob', async () => {
    // Another binary as far as agent.sh can tell: a wrapper has another size and mtime.
    const otherNode = join(dir, 'other-node');
    await mkdir(otherNode, { recursive: true });
    await writeFile(join(otherNode, 'node'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} "$@"\n`);
    await chmod(join(otherNode, 'node'), 0o755);
    const root = await rootWithToken('other-node-root');
    const configFile = join(dir, 'other-node.json');
    await writeFile(configFile, JSON.stringify(config()));
    const outcome = await launch(join(dist, 'agent.sh'), ['--config', configFile, '--root-dir', root], {
      path: [otherNode, process.env.PATH ?? '/usr/bin:/bin'].join(delimiter),
      env: { SNAPSHOT_TEST_VALUE: 'fallback' },
    });
    expect(outcome.code).toBe(0);
    expect(outcome.stderr).toContain('agent.blob was not built by');
    expect(starting(outcome)).toMatchObject({ snapshot: false });
    await expectRendered(root, 'fallback');
  });

  it('starts agent.js when NODE_OPTIONS is set (a snapshot refuses V8 flags it was not built with)', async () => {
    const root = await rootWithToken('node-options-root');
    const configFile = join(dir, 'node-options.json');
    await writeFile(configFile, JSON.stringify(config()));
    const outcome = await launch(join(dist, 'agent.sh'), ['--config', configFile, '--root-dir', root], {
      env: { NODE_OPTIONS: '--max-old-space-size=64', SNAPSHOT_TEST_VALUE: 'node-options' },
    });
    expect(outcome.code).toBe(0);
    expect(outcome.stderr).toContain('NODE_OPTIONS is set; starting from');
    expect(starting(outcome)).toMatchObject({ snapshot: false });
    await expectRendered(root, 'node-options');
  });

  it('starts agent.js without a word when there is no blob, and with a note when its id is missing', async () => {
    const copy = join(dir, 'dist-copy');
    await cp(dist, copy, { recursive: true });
    const configFile = join(dir, 'copy.json');
    await writeFile(configFile, JSON.stringify(config()));

    await rm(join(copy, 'agent.blob.id'));
    const noId = await rootWithToken('no-id-root');
    const withoutId = await launch(join(copy, 'agent.sh'), ['--config', configFile, '--root-dir', noId], { env: { SNAPSHOT_TEST_VALUE: 'no-id' } });
    expect(withoutId.code).toBe(0);
    expect(withoutId.stderr).toContain('agent.blob was not built by');
    expect(starting(withoutId)).toMatchObject({ snapshot: false });
    await expectRendered(noId, 'no-id');

    await rm(join(copy, 'agent.blob'));
    const noBlob = await rootWithToken('no-blob-root');
    const withoutBlob = await launch(join(copy, 'agent.sh'), ['--config', configFile, '--root-dir', noBlob], { env: { SNAPSHOT_TEST_VALUE: 'no-blob' } });
    expect(withoutBlob).toMatchObject({ code: 0, stderr: '' });
    expect(starting(withoutBlob)).toMatchObject({ snapshot: false });
    await expectRendered(noBlob, 'no-blob');
  });
});
