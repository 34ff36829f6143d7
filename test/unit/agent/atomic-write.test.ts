import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../../agent/files/atomic-write.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'atomic-write-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe('atomic file writes', () => {
  it('writes content with the exact mode, ignoring the umask', async () => {
    const path = join(dir, 'secret');
    expect(await writeFileAtomic(path, 'v1', { mode: 0o640 })).toBe('written');
    expect(await readFile(path, 'utf8')).toBe('v1');
    expect((await stat(path)).mode & 0o777).toBe(0o640);
  });

  it('does not rewrite identical content, but fixes a changed mode', async () => {
    const path = join(dir, 'secret');
    await writeFileAtomic(path, 'same', { mode: 0o644 });
    const before = (await stat(path)).ino;
    expect(await writeFileAtomic(path, 'same', { mode: 0o644 })).toBe('unchanged');
    expect((await stat(path)).ino).toBe(before);
    await chmod(path, 0o600);
    expect(await writeFileAtomic(path, 'same', { mode: 0o644 })).toBe('written');
  });

  it('replaces content by rename, leaving no temp files', async () => {
    const path = join(dir, 'secret');
    await writeFileAtomic(path, 'old', { mode: 0o644 });
    await writeFileAtomic(path, 'new', { mode: 0o644 });
    expect(await readFile(path, 'utf8')).toBe('new');
    expect(await readdir(dir)).toEqual(['secret']);
  });

  it('creates parent directories only when asked', async () => {
    const nested = join(dir, 'a', 'b', 'secret');
    await expect(writeFileAtomic(nested, 'x', { mode: 0o644 })).rejects.toMatchObject({ code: 'ENOENT' });
    await writeFileAtomic(nested, 'x', { mode: 0o644, createDirs: true });
    expect(await readFile(nested, 'utf8')).toBe('x');
  });

  it('removes its temp file and leaves the destination untouched when the rename fails', async () => {
    // A non-empty directory where the file should go: rename(2) refuses to replace it.
    const path = join(dir, 'secret');
    await mkdir(path);
    await writeFile(join(path, 'keep'), 'good');
    await expect(writeFileAtomic(path, 'bad', { mode: 0o644 })).rejects.toMatchObject({ code: expect.stringMatching(/EISDIR|ENOTEMPTY|EEXIST/) });
    expect(await readdir(dir)).toEqual(['secret']);
    expect(await readFile(join(path, 'keep'), 'utf8')).toBe('good');
  });
});
