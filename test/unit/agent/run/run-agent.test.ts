// The agent program with stand-in components: flags and config errors, each mode's path to its
// exit code, readiness, the quit endpoint, revocation on shutdown and the init timeout's report.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AgentComponents } from '../../../../agent/run/agent-components.js';
import { runAgent, type AgentHost } from '../../../../agent/run/run-agent.js';
import type { RunningEndpoints } from '../../../../agent/observe/agent-endpoints.js';
import type { TemplateEngine } from '../../../../agent/templates/template-engine.js';
import {
  AGENT_CONFIG_CHECK_ENV_VAR,
  AGENT_CONFIG_ENV_VAR,
  agentConfigCheck,
  agentConfigEnvVars,
  parseAgentConfig,
  type AgentConfigInput,
} from '../../../../contract/agent-config/index.js';
import { aFakeStore, secretValue, type FakeStore } from '../render/fakes.js';

let dir: string;
beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'run-agent-'))));
afterEach(() => rm(dir, { recursive: true, force: true }));

/** Templates whose text is a Vault path; they render `value=<data.value>`. */
const pathEngine: TemplateEngine = {
  compile(_template, text) {
    if (text === 'bad') return { ok: false, reason: 'parse error at line 1' };
    return {
      ok: true,
      template: {
        render(lookup) {
          const request = { kind: 'read', path: text } as const;
          const value = lookup.lookup(request);
          if (value === undefined) return { kind: 'incomplete', missing: [request] };
          if (value.kind === 'error') return { kind: 'failed', reason: value.message };
          return { kind: 'rendered', content: `value=${value.kind === 'secret' ? String(value.secret.data?.['value']) : ''}\n`, used: [request] };
        },
      },
    };
  },
};

interface FakeWorld {
  store: FakeStore;
  login(): void;
  failLogin(error: Error): void;
  revoked: number;
  stopped: string[];
}

function fakeComponents(world: Partial<{ lastFailure: string }> = {}): { components: AgentComponents; world: FakeWorld } {
  const store = aFakeStore();
  store.vault.set(JSON.stringify(['read', 'kv/app', [], '']), secretValue({ value: 'v1' }));
  let resolveLogin: () => void = () => undefined;
  let rejectLogin: (error: Error) => void = () => undefined;
  const firstLogin = new Promise<void>((resolve, reject) => ((resolveLogin = resolve), (rejectLogin = reject)));
  firstLogin.catch(() => undefined);
  const state: FakeWorld = { store, login: () => resolveLogin(), failLogin: (e) => rejectLogin(e), revoked: 0, stopped: [] };
  let loggedIn = false;
  void firstLogin.then(() => (loggedIn = true), () => undefined);
  const components: AgentComponents = {
    auth: {
      tokens: {
        token: async () => 'tok',
        current: () => (loggedIn ? 'tok' : undefined),
        reportInvalid: () => undefined,
        onNewToken: () => () => undefined,
        revokeSelf: async () => void state.revoked++,
        stop: async () => undefined,
      },
      firstLogin: () => firstLogin,
      stats: () => ({ authenticated: loggedIn, logins: loggedIn ? 1 : 0, loginFailures: 0 }),
      lastFailure: () => world.lastFailure,
      onFatal: () => () => undefined,
      stop: async () => void state.stopped.push('auth'),
    },
    store: Object.assign(store, { stop: async () => void state.stopped.push('store') }),
    loadEngine: async () => pathEngine,
    close: async () => void state.stopped.push('client'),
  };
  return { components, world: state };
}

interface Run {
  code: Promise<number>;
  lines: string[];
  stderr: string[];
  signal(name: string): void;
  endpoints: Promise<RunningEndpoints>;
}

function run(args: string[], components?: AgentComponents, env: Record<string, string> = {}): Run {
  const lines: string[] = [];
  const stderr: string[] = [];
  const signalListeners: ((signal: string) => void)[] = [];
  let started: (endpoints: RunningEndpoints) => void = () => undefined;
  const endpoints = new Promise<RunningEndpoints>((resolve) => (started = resolve));
  const host: AgentHost = {
    env,
    cwd: dir,
    stdout: (text) => void lines.push(text),
    stderr: (text) => void stderr.push(text),
    onStopSignal: (listener) => void signalListeners.push(listener),
    logDestination: new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(...chunk.toString().split('\n').filter(Boolean)), done()) }),
    createComponents: components === undefined ? undefined : async () => components,
    endpointHost: '127.0.0.1',
    onStarted: started,
  };
  return { code: runAgent(args, host), lines, stderr, signal: (name) => signalListeners.forEach((l) => l(name)), endpoints };
}

/** An init config with one template, for the fake components' Vault. */
function aConfig(overrides: Partial<AgentConfigInput> = {}): AgentConfigInput {
  return {
    version: 1,
    mode: 'init',
    vault: { address: 'http://127.0.0.1:1' },
    auth: { method: 'kubernetes', role: 'app' },
    templates: [{ name: 'app', destination: '/vault/secrets/app', engine: 'go', contents: 'kv/app' }],
    ...overrides,
  };
}

async function writeConfig(overrides: Partial<AgentConfigInput> = {}): Promise<string> {
  const file = join(dir, 'config.json');
  await writeFile(file, JSON.stringify(aConfig(overrides)));
  return file;
}

async function status(port: number | undefined, path: string, method = 'GET'): Promise<number> {
  return (await fetch(`http://127.0.0.1:${String(port)}${path}`, { method })).status;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('the agent program', () => {
  it('prints every config error with its path and exits 2', async () => {
    const file = join(dir, 'config.json');
    await writeFile(file, JSON.stringify({ version: 1, mode: 'sometimes', vault: { address: 'x' }, auth: { method: 'kubernetes' } }));
    const result = run(['--config', file]);
    expect(await result.code).toBe(2);
    const text = result.stderr.join('');
    expect(text).toContain('  - mode: ');
    expect(text).toContain('  - vault.address: ');
    expect(text).toContain('  - auth.role: ');
  });

  it('reads the config from VAULT_INJECTOR_AGENT_CONFIG when no file is given, and says when it is missing', async () => {
    const result = run([]);
    expect(await result.code).toBe(2);
    expect(result.stderr.join('')).toContain('VAULT_INJECTOR_AGENT_CONFIG is not set');
  });

  it("takes a config from the webhook's environment as checked, and validates one edited after admission or not checked", async () => {
    const parsed = parseAgentConfig(aConfig({ log: { level: 'info', format: 'json' } }));
    if (!parsed.ok) throw new Error('test config invalid');
    const vars = agentConfigEnvVars(parsed.config);
    if (!vars.ok) throw new Error('test config too large');
    const fromWebhook: Record<string, string> = { ...Object.fromEntries(vars.env.map(({ name, value }) => [name, value])), VAULT_INJECTOR_ROOT_DIR: dir };
    const starting = (lines: string[]): unknown => JSON.parse(lines.find((line) => line.includes('"msg":"agent starting"')) ?? '{}');

    const checked = fakeComponents();
    const asChecked = run([], checked.components, fromWebhook);
    checked.world.login();
    expect(await asChecked.code).toBe(0);
    expect(starting(asChecked.lines)).toMatchObject({ config: 'checked', mode: 'init' });
    expect(await readFile(join(dir, 'vault/secrets/app'), 'utf8')).toBe('value=v1\n');

    // Not checked: validated, and a valid config runs the same.
    const unchecked = fakeComponents();
    const withoutCheck = Object.fromEntries(Object.entries(fromWebhook).filter(([name]) => name !== AGENT_CONFIG_CHECK_ENV_VAR));
    const asUnchecked = run([], unchecked.components, withoutCheck);
    unchecked.world.login();
    expect(await asUnchecked.code).toBe(0);
    expect(starting(asUnchecked.lines)).toMatchObject({ config: 'validated' });

    // Edited after admission into something invalid (its check no longer matches): caught.
    const edited = JSON.stringify({ ...parsed.config, mode: 'sometimes' });
    expect(agentConfigCheck(edited)).not.toBe(fromWebhook[AGENT_CONFIG_CHECK_ENV_VAR]);
    const asEdited = run([], fakeComponents().components, { ...fromWebhook, [AGENT_CONFIG_ENV_VAR]: edited });
    expect(await asEdited.code).toBe(2);
    expect(asEdited.stderr.join('')).toContain('  - mode: ');
  });

  it('prints its help and exits 0; a bad flag exits 2', async () => {
    const help = run(['--help']);
    expect(await help.code).toBe(0);
    expect(help.lines.join('')).toContain('--root-dir DIR');
    expect(await run(['--what']).code).toBe(2);
  });

  it('exits 2 naming a template that cannot compile', async () => {
    const { components, world } = fakeComponents();
    const file = await writeConfig({ templates: [{ name: 'app', destination: '/s/app', engine: 'go', contents: 'bad' }] });
    const result = run(['--config', file, '--root-dir', dir], components);
    expect(await result.code).toBe(2);
    expect(result.stderr.join('')).toContain(`app (${dir}/s/app): go template: parse error at line 1`);
    expect(world.stopped).toEqual(expect.arrayContaining(['auth', 'store', 'client']));
  });

  it('in init mode renders under the root directory and exits 0', async () => {
    const { components, world } = fakeComponents();
    const result = run(['--config', await writeConfig()], components, { VAULT_INJECTOR_ROOT_DIR: dir });
    world.login();
    expect(await result.code).toBe(0);
    expect(await readFile(join(dir, 'vault/secrets/app'), 'utf8')).toBe('value=v1\n');
    expect(world.revoked).toBe(0);
  });

  it('in init mode gives up at the init timeout with one line per secret naming why', async () => {
    const { components } = fakeComponents({ lastFailure: 'connection refused' });
    const file = await writeConfig({
      templateConfig: { initTimeoutMs: 200 },
      templates: [
        { name: 'app', destination: '/vault/secrets/app', engine: 'go', contents: 'kv/app' },
        { name: 'other', destination: '/vault/secrets/other', engine: 'go', contents: 'kv/other' },
      ],
    });
    const result = run(['--config', file, '--root-dir', dir], components);
    expect(await result.code).toBe(1);
    const report = result.lines.filter((line) => line.includes('secret not rendered')).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(report).toMatchObject([
      { template: 'app', destination: `${dir}/vault/secrets/app`, reason: 'not logged in to Vault: connection refused' },
      { template: 'other', destination: `${dir}/vault/secrets/other`, reason: 'not logged in to Vault: connection refused' },
    ]);
  });

  it('in init mode keeps retrying a failing template until the store reports the fix', async () => {
    const { components, world } = fakeComponents();
    world.store.vault.delete(JSON.stringify(['read', 'kv/app', [], '']));
    const result = run(['--config', await writeConfig(), '--root-dir', dir], components);
    world.login();
    await new Promise((resolve) => setTimeout(resolve, 100));
    world.store.change({ kind: 'read', path: 'kv/app' }, secretValue({ value: 'late' }));
    expect(await result.code).toBe(0);
    expect(await readFile(join(dir, 'vault/secrets/app'), 'utf8')).toBe('value=late\n');
  });

  it('exits 1 when login fails for good', async () => {
    const { components, world } = fakeComponents();
    const result = run(['--config', await writeConfig({ mode: 'sidecar' }), '--root-dir', dir], components);
    world.failLogin(Object.assign(new Error('permission denied'), { code: 'X' }));
    expect(await result.code).toBe(1);
  });

  it('as a native sidecar is ready only after the first full render, and revokes after the grace on SIGTERM', async () => {
    const { components, world } = fakeComponents();
    const port = await freePort();
    const file = await writeConfig({ mode: 'native-sidecar', health: { port }, revokeOnShutdown: true, revokeGraceSeconds: 0 });
    const result = run(['--config', file, '--root-dir', dir], components);
    await result.endpoints;
    expect(await status(port, '/readyz')).toBe(503);
    expect(await status(port, '/livez')).toBe(200);
    expect(await status(port, '/readyz', 'POST')).toBe(405);
    expect(await status(port, '/elsewhere')).toBe(404);
    world.login();
    await expect.poll(() => status(port, '/readyz')).toBe(200);
    result.signal('SIGTERM');
    expect(await result.code).toBe(0);
    expect(world.revoked).toBe(1);
    await expect(status(port, '/livez')).rejects.toThrow();
  });

  it('stops on POST /agent/v1/quit with enableQuit, and serves metrics on their own port', async () => {
    const { components, world } = fakeComponents();
    const [quitPort, metricsPort] = [await freePort(), await freePort()];
    const file = await writeConfig({ mode: 'sidecar', listener: { address: `127.0.0.1:${quitPort}`, enableQuit: true }, metrics: { port: metricsPort } });
    const result = run(['--config', file, '--root-dir', dir], components);
    await result.endpoints;
    world.login();
    await expect.poll(() => readFile(join(dir, 'vault/secrets/app'), 'utf8').catch(() => '')).toBe('value=v1\n');
    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(metrics).toMatch(/^vault_injector_agent_secret_last_render_timestamp_seconds\{template="app"\} \d+(\.\d+)?$/m);
    expect(metrics).toMatch(/^vault_injector_agent_authenticated 1$/m);
    expect(await status(quitPort, '/agent/v1/quit', 'GET')).toBe(405);
    expect(await status(quitPort, '/agent/v1/quit', 'POST')).toBe(200);
    expect(await result.code).toBe(0);
    expect(world.revoked).toBe(0);
  });

  it('exits 1 when an endpoint cannot listen', async () => {
    const { components } = fakeComponents();
    const blocker = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => blocker.once('listening', resolve));
    const { port } = blocker.address() as { port: number };
    const file = await writeConfig({ mode: 'native-sidecar', health: { port } });
    const result = run(['--config', file, '--root-dir', dir], components);
    expect(await result.code).toBe(1);
    expect(result.stderr.join('')).toContain('EADDRINUSE');
    blocker.close();
  });

  it('in sidecar mode exits 1 on a template that fails for good with exitOnRetryFailure, keeping the file', async () => {
    const { components, world } = fakeComponents();
    const result = run(['--config', await writeConfig({ mode: 'sidecar' }), '--root-dir', dir], components);
    world.login();
    await expect.poll(() => readFile(join(dir, 'vault/secrets/app'), 'utf8').catch(() => '')).toBe('value=v1\n');
    world.store.change({ kind: 'read', path: 'kv/app' }, { kind: 'error', message: 'permission denied' });
    expect(await result.code).toBe(1);
    expect(await readFile(join(dir, 'vault/secrets/app'), 'utf8')).toBe('value=v1\n');
    expect(result.lines.some((line) => line.includes('"reason":"permission denied"') && line.includes('secret not rendered'))).toBe(true);
  });
});
