import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRenderLoop } from '../../../../agent/render/render-loop.js';
import { MAX_DISCOVERY_PASSES } from '../../../../agent/render/render-with-discovery.js';
import type { CommandRunner } from '../../../../agent/render/template-commands.js';
import type { TemplateCommand } from '../../../../contract/agent-config/index.js';
import { aCapturingLogger, aFakeStore, aFakeTemplate, read, secretValue, valueOf, type FakeStore } from './fakes.js';

let dir: string;
let store: FakeStore;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'render-loop-'));
  store = aFakeStore();
  store.vault.set(JSON.stringify(['read', 'kv/a', [], '']), secretValue({ value: 'A1' }));
  store.vault.set(JSON.stringify(['read', 'kv/b', [], '']), secretValue({ value: 'B1' }));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** A template rendering `<prefix><value of path>`. */
function simple(name: string, path: string, extra: Record<string, unknown> = {}) {
  return aFakeTemplate({ name, destination: join(dir, name), ...extra }, () => [read(path)], ([value]) => `${name}=${valueOf(value)}\n`);
}

function recordingRunner(results: Record<string, number> = {}): { runner: CommandRunner; calls: string[]; filesSeen: string[][] } {
  const calls: string[] = [];
  const filesSeen: string[][] = [];
  const runner: CommandRunner = async (command: TemplateCommand) => {
    const text = command.shell ?? command.argv?.join(' ') ?? '';
    calls.push(text);
    filesSeen.push(await Promise.all(['a', 'b'].map((name) => readFile(join(dir, name), 'utf8').catch(() => ''))));
    const exitCode = results[text] ?? 0;
    return { ok: exitCode === 0, exitCode, signal: null, timedOut: false, durationMs: 1 };
  };
  return { runner, calls, filesSeen };
}

describe('the render loop', () => {
  it('discovers nested dependencies pass by pass, fetching each request once per pass', async () => {
    store.vault.set(JSON.stringify(['read', 'kv/pointer', [], '']), secretValue({ value: 'kv/b' }));
    const nested = aFakeTemplate(
      { name: 'nested', destination: join(dir, 'nested') },
      (lookup) => {
        const pointer = lookup.lookup(read('kv/pointer'));
        return pointer === undefined ? [read('kv/pointer')] : [read('kv/pointer'), read(valueOf(pointer))];
      },
      ([, target]) => `nested=${valueOf(target)}\n`,
    );
    const { logger } = aCapturingLogger();
    const loop = createRenderLoop({ templates: [simple('a', 'kv/a'), nested, simple('a2', 'kv/a')], store, logger, env: {} });
    const round = await loop.renderAll();
    expect(round).toMatchObject({ complete: true, allRenderedOnce: true, written: ['a', 'nested', 'a2'] });
    expect(store.fetchCalls).toEqual([[read('kv/a'), read('kv/pointer')], [read('kv/b')]]);
    expect(await readFile(join(dir, 'nested'), 'utf8')).toBe('nested=B1\n');
    expect(store.trackCalls.at(-1)).toEqual([read('kv/a'), read('kv/pointer'), read('kv/b')]);
  });

  it('with endsWhenComplete (init mode), tracks nothing after a complete round, but still after an incomplete one', async () => {
    const { logger } = aCapturingLogger();
    const loop = createRenderLoop({ templates: [simple('a', 'kv/a')], store, logger, env: {}, endsWhenComplete: true });
    expect(await loop.renderAll()).toMatchObject({ complete: true });
    expect(store.trackCalls).toEqual([]);

    store.change(read('kv/a'), { kind: 'error', message: 'permission denied' });
    expect(await loop.renderAll()).toMatchObject({ complete: false });
    // The failed secret stays tracked, so the store fetches it again.
    expect(store.trackCalls).toEqual([[read('kv/a')]]);
  });

  it('gives up on a template whose data never arrives after a bounded number of passes', async () => {
    const never = aFakeTemplate({ name: 'never', destination: join(dir, 'never') }, () => [read(`kv/x-${Math.random()}`)], () => 'x');
    const { logger, lines } = aCapturingLogger();
    const loop = createRenderLoop({ templates: [never, simple('a', 'kv/a')], store, logger, env: {} });
    const round = await loop.renderAll();
    expect(round.complete).toBe(false);
    expect(round.failures).toMatchObject([{ name: 'never', state: 'waiting', reason: expect.stringContaining(`${MAX_DISCOVERY_PASSES} render passes`) }]);
    expect(store.fetchCalls).toHaveLength(MAX_DISCOVERY_PASSES - 1);
    expect(await readFile(join(dir, 'a'), 'utf8')).toBe('a=A1\n');
    expect(lines.some((line) => line.includes('"template":"never"') && line.includes('waitingFor'))).toBe(true);
  });

  it('reports a fetch that throws as waiting, with a safe reason, and writes nothing for it', async () => {
    store.failFetches(Object.assign(new Error('connect ECONNREFUSED secret-ish'), { code: 'ECONNREFUSED' }));
    const { logger } = aCapturingLogger();
    const loop = createRenderLoop({ templates: [simple('a', 'kv/a')], store, logger, env: {} });
    const round = await loop.renderAll();
    expect(round.failures).toMatchObject([{ name: 'a', state: 'waiting', missing: [read('kv/a')] }]);
    expect(round.failures[0]?.reason).toContain('ECONNREFUSED');
    await expect(stat(join(dir, 'a'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('writes with the configured mode, creates directories, and leaves unchanged files and their commands alone', async () => {
    const nestedPath = join(dir, 'deep', 'er', 'file');
    const templates = [
      aFakeTemplate({ name: 'deep', destination: nestedPath, perms: 0o600, command: { shell: 'reload deep' } }, () => [read('kv/a')], ([v]) => valueOf(v)),
      simple('b', 'kv/b', { command: { shell: 'reload b' } }),
    ];
    const { runner, calls } = recordingRunner();
    const { logger } = aCapturingLogger();
    const loop = createRenderLoop({ templates, store, logger, env: {}, runCommand: runner });
    await loop.renderAll();
    expect((await stat(nestedPath)).mode & 0o777).toBe(0o600);
    const before = await stat(nestedPath);
    expect(calls).toEqual(['reload deep', 'reload b']);

    store.change(read('kv/b'), secretValue({ value: 'B2' }));
    const round = await loop.renderAll();
    expect(round.written).toEqual(['b']);
    expect(calls).toEqual(['reload deep', 'reload b', 'reload b']);
    const after = await stat(nestedPath);
    expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
  });

  it('runs commands after every file is written, in config order, each distinct command once', async () => {
    const templates = [simple('a', 'kv/a', { command: { shell: 'reload' } }), simple('b', 'kv/b', { command: { shell: 'reload' } })];
    const { runner, calls, filesSeen } = recordingRunner();
    const { logger } = aCapturingLogger();
    await createRenderLoop({ templates, store, logger, env: {}, runCommand: runner }).renderAll();
    expect(calls).toEqual(['reload']);
    expect(filesSeen).toEqual([['a=A1\n', 'b=B1\n']]);
  });

  it('keeps the new file when its command fails, and keeps the last good file when a later render fails', async () => {
    const { runner } = recordingRunner({ 'reload a': 3 });
    const { logger, lines } = aCapturingLogger();
    const loop = createRenderLoop({ templates: [simple('a', 'kv/a', { command: { shell: 'reload a' } })], store, logger, env: {}, runCommand: runner });
    const first = await loop.renderAll();
    expect(first.commandFailures).toMatchObject([{ templates: ['a'], result: { exitCode: 3 } }]);
    expect(first).toMatchObject({ complete: true, failures: [] });
    expect(loop.statuses()).toMatchObject([{ name: 'a', state: 'rendered', reason: 'command exited with code 3', consecutiveErrors: 1 }]);
    expect(await readFile(join(dir, 'a'), 'utf8')).toBe('a=A1\n');

    store.change(read('kv/a'), { kind: 'error', message: 'permission denied' });
    const second = await loop.renderAll();
    expect(second.failures).toMatchObject([{ name: 'a', state: 'failed', reason: 'permission denied', consecutiveErrors: 2 }]);
    expect(await readFile(join(dir, 'a'), 'utf8')).toBe('a=A1\n');
    expect(second.allRenderedOnce).toBe(true);
    expect(lines.filter((line) => line.includes('template command failed'))).toHaveLength(1);
    // A failing template's requests stay tracked, so the store keeps refreshing them.
    expect(store.trackCalls.at(-1)).toEqual([read('kv/a')]);
  });

  it('keeps the previous content as <destination>.bak when asked', async () => {
    const { logger } = aCapturingLogger();
    const loop = createRenderLoop({ templates: [simple('a', 'kv/a', { backup: true })], store, logger, env: {} });
    await loop.renderAll();
    await expect(stat(join(dir, 'a.bak'))).rejects.toMatchObject({ code: 'ENOENT' });
    store.change(read('kv/a'), secretValue({ value: 'A2' }));
    await loop.renderAll();
    await loop.renderAll(); // unchanged: the backup stays the previous version
    expect(await readFile(join(dir, 'a'), 'utf8')).toBe('a=A2\n');
    expect(await readFile(join(dir, 'a.bak'), 'utf8')).toBe('a=A1\n');
  });

  it('records a failed write as a failure, without touching what is there', async () => {
    await writeFile(join(dir, 'blocker'), 'not a directory');
    const { logger, lines } = aCapturingLogger();
    const template = aFakeTemplate({ name: 'x', destination: join(dir, 'blocker', 'x') }, () => [read('kv/a')], () => 'x');
    const round = await createRenderLoop({ templates: [template], store, logger, env: {} }).renderAll();
    expect(round.failures).toMatchObject([{ name: 'x', state: 'failed', reason: expect.stringMatching(/^writing the file failed \((EEXIST|ENOTDIR)\)$/) }]);
    expect(lines.some((line) => /"code":"(EEXIST|ENOTDIR)"/.test(line))).toBe(true);
    expect(await readFile(join(dir, 'blocker'), 'utf8')).toBe('not a directory');
  });

  it('renders once for a burst of store changes, and only rewrites what changed', async () => {
    const { logger } = aCapturingLogger();
    const loop = createRenderLoop({ templates: [simple('a', 'kv/a'), simple('b', 'kv/b')], store, logger, env: {}, debounceMs: 50 });
    const rounds: string[][] = [];
    loop.onRound((round) => rounds.push(round.written));
    await loop.renderAll();
    loop.watch();
    for (let i = 2; i <= 6; i++) store.change(read('kv/a'), secretValue({ value: `A${i}` }));
    await sleep(150);
    expect(rounds).toEqual([['a', 'b'], ['a']]);
    expect(await readFile(join(dir, 'a'), 'utf8')).toBe('a=A6\n');
    await loop.stop();
    store.change(read('kv/a'), secretValue({ value: 'A7' }));
    await sleep(100);
    expect(rounds).toHaveLength(2);
  });

  it('coalesces calls made during a round into one more round', async () => {
    const { logger } = aCapturingLogger();
    const loop = createRenderLoop({ templates: [simple('a', 'kv/a')], store, logger, env: {} });
    let rounds = 0;
    loop.onRound(() => rounds++);
    const first = loop.renderAll();
    const joined = loop.renderAll(); // not started yet: joins the first
    await sleep(0); // the first round is now fetching
    const later = [loop.renderAll(), loop.renderAll(), loop.renderAll()];
    await Promise.all([first, joined, ...later]);
    expect(joined).toBe(first);
    expect(later[1]).toBe(later[0]);
    expect(rounds).toBe(2);
  });
});
