import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { cachePath, ensureInstalled, withInstallLock } from '../support/cache-dir.js';
import { uniqueName } from '../support/openbao-secrets.js';

describe('installing into the cache', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('runs the install once when two callers race, and not again once it is marked done', async () => {
    const dir = cachePath(uniqueName('lock-test'));
    dirs.push(dir);
    let installs = 0;
    const install = async (target: string): Promise<void> => {
      installs++;
      await sleep(200);
      await writeFile(join(target, 'tool'), 'ok');
    };

    const results = await Promise.all([ensureInstalled(dir, install), ensureInstalled(dir, install)]);
    const again = await ensureInstalled(dir, install);

    expect(installs).toBe(1);
    expect(results.sort()).toEqual([false, true]);
    expect(again).toBe(false);
    expect(await readFile(join(dir, 'tool'), 'utf8')).toBe('ok');
  });

  it('redoes an install that failed half-way', async () => {
    const dir = cachePath(uniqueName('lock-test'));
    dirs.push(dir);

    await expect(ensureInstalled(dir, async () => {
      throw new Error('download interrupted');
    })).rejects.toThrow('download interrupted');
    const retried = await ensureInstalled(dir, async () => {});

    expect(retried).toBe(true);
    expect(existsSync(join(dir, '.installed'))).toBe(true);
  });

  it('takes over a lock left by a process that no longer exists', async () => {
    const name = uniqueName('lock-test');
    dirs.push(cachePath(`${name}.lock`));
    // Above Linux's largest possible pid (2^22), so certainly not a live process.
    await writeFile(cachePath(`${name}.lock`), JSON.stringify({ pid: 2 ** 22 + 1, host: hostname() }));

    const value = await withInstallLock(name, async () => 'ran');

    expect(value).toBe('ran');
    expect(existsSync(cachePath(`${name}.lock`))).toBe(false);
  });
});
