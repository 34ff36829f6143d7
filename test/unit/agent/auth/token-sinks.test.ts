import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { writeFileAtomic } from '../../../../agent/files/atomic-write.js';
import { createTokenSinkWriter, sinkRetryDelayMs } from '../../../../agent/sinks/token-sinks.js';
import { capturedLogger, manualClock } from './support.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'token-sinks-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe('token sinks', () => {
  it('writes the bare token to every sink with its mode, creating the directory', async () => {
    const home = join(dir, 'home', '.vault-token');
    const secrets = join(dir, 'secrets', 'token');
    const writer = createTokenSinkWriter([{ path: home, mode: 0o640 }, { path: secrets, mode: 0o600 }], { logger: capturedLogger().logger });
    await writer.write('s.token-1');
    expect(await readFile(home, 'utf8')).toBe('s.token-1');
    expect((await stat(home)).mode & 0o777).toBe(0o640);
    expect((await stat(secrets)).mode & 0o777).toBe(0o600);
    await writer.stop();
  });

  it('does not rewrite a sink that already holds the token', async () => {
    const path = join(dir, 'token');
    const writes: string[] = [];
    const writeFile: typeof writeFileAtomic = async (...args) => (writes.push(String(args[1])), writeFileAtomic(...args));
    const writer = createTokenSinkWriter([{ path, mode: 0o640 }], { logger: capturedLogger().logger, writeFile });
    await writer.write('a');
    await writer.write('a');
    await writer.write('b');
    expect(writes).toEqual(['a', 'b']);
    const inode = (await stat(path)).ino;
    await writer.write('b');
    expect((await stat(path)).ino).toBe(inode);
  });

  it('retries a failed sink every 1–3 s until it is written, without holding up the others', async () => {
    const clock = manualClock();
    const log = capturedLogger();
    let failuresLeft = 2;
    const writeFile: typeof writeFileAtomic = async (path, ...rest) => {
      if (path.endsWith('broken') && failuresLeft-- > 0) throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
      return writeFileAtomic(path, ...rest);
    };
    const writer = createTokenSinkWriter([{ path: join(dir, 'broken'), mode: 0o640 }, { path: join(dir, 'fine'), mode: 0o640 }], {
      logger: log.logger,
      clock,
      random: () => 0.5,
      writeFile,
    });
    let done = false;
    void writer.write('s.secret-token').then(() => (done = true));
    await vi.waitFor(async () => expect(await readFile(join(dir, 'fine'), 'utf8')).toBe('s.secret-token'));
    await vi.waitFor(() => expect(clock.pendingDelays()).toEqual([2_000]));
    await clock.advance(2_000);
    await vi.waitFor(() => expect(clock.pendingDelays()).toEqual([2_000]));
    await clock.advance(2_000);
    await vi.waitFor(() => expect(done).toBe(true));
    expect(await readFile(join(dir, 'broken'), 'utf8')).toBe('s.secret-token');
    expect(log.lines().filter((line) => line.msg === 'failed to write token sink')).toHaveLength(2);
    expect(log.text()).not.toContain('s.secret-token');
  });

  it('drops retries of a token a newer one replaced', async () => {
    const clock = manualClock();
    const path = join(dir, 'token');
    let fail = true;
    const writeFile: typeof writeFileAtomic = async (...args) => {
      if (fail) throw Object.assign(new Error('ENOSPC'), { code: 'ENOSPC' });
      return writeFileAtomic(...args);
    };
    const writer = createTokenSinkWriter([{ path, mode: 0o640 }], { logger: capturedLogger().logger, clock, random: () => 0, writeFile });
    const first = writer.write('old');
    await vi.waitFor(() => expect(clock.pendingDelays()).toEqual([1_000]));
    fail = false;
    const second = writer.write('new');
    await clock.advance(1_000);
    await Promise.all([first, second]);
    expect(await readFile(path, 'utf8')).toBe('new');
  });

  it('waits 1–3 s between retries', () => {
    expect(sinkRetryDelayMs(() => 0)).toBe(1_000);
    expect(sinkRetryDelayMs(() => 0.999_9)).toBe(3_000);
  });
});
