// What the snapshot build runs before the heap is saved (agent/snapshot/warm-up.ts): it must
// succeed, and must not read what belongs to a run — environment, argv, clock, randomness —
// which would be frozen into the blob.
import { afterEach, describe, expect, it, vi } from 'vitest';

describe('the snapshot warm-up', () => {
  const realEnv = process.env;
  afterEach(() => {
    process.env = realEnv;
    vi.restoreAllMocks();
  });

  it('loads every agent module and exercises both engines without reading env, argv, clock or randomness', async () => {
    const read: string[] = [];
    process.env = new Proxy(realEnv, {
      get(target, key) {
        if (typeof key === 'string') read.push(key);
        return Reflect.get(target, key);
      },
    });
    const now = vi.spyOn(Date, 'now');
    const random = vi.spyOn(Math, 'random');
    const argv = vi.spyOn(process, 'argv', 'get');
    const { warmUp } = await import('../../../../agent/snapshot/warm-up.js');
    await expect(warmUp()).resolves.toBeUndefined();
    // Allowed: on-exit-leak-free (pino) picks its registry by NODE_V8_COVERAGE while loading; the
    // snapshot is built in an empty environment, so it takes the production choice. The test
    // runner's module loader reads WATCH_REPORT_DEPENDENCIES.
    const env = read.filter((key) => key !== 'NODE_V8_COVERAGE' && key !== 'WATCH_REPORT_DEPENDENCIES');
    expect({ env, now: now.mock.calls.length, random: random.mock.calls.length, argv: argv.mock.calls.length }).toEqual({ env: [], now: 0, random: 0, argv: 0 });
  });
});
