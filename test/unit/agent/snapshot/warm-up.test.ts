// What the snapshot build runs before the heap is saved (agent/snapshot/warm-up.ts): a rehearsed
// init run. It must succeed, must not read the process's environment or argv (they would be
// frozen into the blob), and must leave nothing behind: no timer, socket, signal handler or file.
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startMadeUpVault } from '../../../../agent/snapshot/made-up-vault.js';
import { rehearsalFor } from '../../../../agent/snapshot/rehearsal.js';

describe('the snapshot warm-up', () => {
  const realEnv = process.env;
  afterEach(() => {
    process.env = realEnv;
    vi.restoreAllMocks();
  });

  it('rehearses an init run against the made-up Vault without reading env or argv, and leaves no handle, listener or file behind', async () => {
    // The build runs the made-up Vault in its own process; here it runs in this one, started first.
    const vault = await startMadeUpVault();
    const rehearsal = rehearsalFor(vault.address);
    const read: string[] = [];
    process.env = new Proxy(realEnv, {
      get(target, key) {
        if (typeof key === 'string') read.push(key);
        return Reflect.get(target, key);
      },
    });
    const argv = vi.spyOn(process, 'argv', 'get');
    const resourcesBefore = process.getActiveResourcesInfo().filter((kind) => kind !== 'TTYWrap');
    const signalListeners = (): number => process.listenerCount('SIGTERM') + process.listenerCount('SIGINT');
    const listenersBefore = signalListeners();
    const warmUpDirs = async (): Promise<string[]> => (await readdir(tmpdir())).filter((name) => name.startsWith('agent-warm-up-'));
    const dirsBefore = await warmUpDirs();

    const { warmUp } = await import('../../../../agent/snapshot/warm-up.js');
    try {
      await expect(warmUp(rehearsal)).resolves.toBeUndefined();
    } finally {
      process.env = realEnv;
      await vault.close();
    }
    // What an init run with two KV v2 secrets asks (one mount lookup for both).
    expect([...vault.requests].sort()).toEqual([
      'GET /v1/auth/token/lookup-self',
      'GET /v1/kv/data/app',
      'GET /v1/kv/data/db',
      'GET /v1/sys/internal/ui/mounts/kv/app',
    ]);

    // Allowed: on-exit-leak-free (pino) picks its registry by NODE_V8_COVERAGE while loading (the
    // snapshot is built in an empty environment, so it takes the production choice); os.tmpdir()
    // reads TMPDIR, TMP and TEMP for the rehearsal's directory, which is removed; the test runner's
    // module loader reads WATCH_REPORT_DEPENDENCIES.
    const allowed = new Set(['NODE_V8_COVERAGE', 'TMPDIR', 'TMP', 'TEMP', 'WATCH_REPORT_DEPENDENCIES']);
    expect(read.filter((key) => !allowed.has(key))).toEqual([]);
    expect(argv).not.toHaveBeenCalled();
    await new Promise((resolveTick) => setImmediate(resolveTick));
    // Nothing new is active (the runner's own timers may have ended meanwhile).
    const count = (kinds: string[]): Record<string, number> => kinds.reduce<Record<string, number>>((all, kind) => ({ ...all, [kind]: (all[kind] ?? 0) + 1 }), {});
    const [before, after] = [count(resourcesBefore), count(process.getActiveResourcesInfo().filter((kind) => kind !== 'TTYWrap'))];
    expect(Object.entries(after).filter(([kind, n]) => n > (before[kind] ?? 0))).toEqual([]);
    expect(signalListeners()).toBe(listenersBefore);
    expect(await warmUpDirs()).toEqual(dirsBefore);
  });
});
