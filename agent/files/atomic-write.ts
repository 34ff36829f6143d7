/**
 * Writes a file so that readers only ever see the old or the new content, complete: a temp file
 * in the same directory, written, fsynced, chmodded, then renamed over the destination
 * (rename(2) within one filesystem is atomic). On any failure the temp file is removed and the
 * destination is untouched, so a failed render never truncates or empties a secret file.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export interface AtomicWriteOptions {
  /** File mode of the result, e.g. 0o640. */
  mode: number;
  /** Create missing parent directories (mode 0o755). @default false */
  createDirs?: boolean;
}

export type WriteOutcome = 'written' | 'unchanged';

/** Writes `content` to `path` unless the file already holds exactly these bytes with this mode. */
export async function writeFileAtomic(path: string, content: string | Uint8Array, options: AtomicWriteOptions): Promise<WriteOutcome> {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content);
  if (await holds(path, bytes, options.mode)) return 'unchanged';
  const dir = dirname(path);
  if (options.createDirs) await mkdir(dir, { recursive: true, mode: 0o755 });
  // Hidden, and named after the file so a leftover (after a crash) is recognisable.
  const temp = join(dir, `.${basename(path)}.tmp-${randomBytes(6).toString('hex')}`);
  try {
    const handle = await open(temp, 'wx', options.mode);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    // open() applies the umask; chmod sets the exact mode before the file becomes visible.
    await chmod(temp, options.mode);
    await rename(temp, path);
    return 'written';
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

async function holds(path: string, bytes: Buffer, mode: number): Promise<boolean> {
  try {
    const handle = await open(path, 'r');
    try {
      const stat = await handle.stat();
      if ((stat.mode & 0o7777) !== mode || stat.size !== bytes.length) return false;
      return Buffer.compare(await handle.readFile(), bytes) === 0;
    } finally {
      await handle.close();
    }
  } catch {
    return false;
  }
}

/** The current content of a file, or `undefined` when it does not exist or cannot be read. */
export async function readFileIfExists(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch {
    return undefined;
  }
}
