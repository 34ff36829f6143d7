// Where the test bed keeps the tools it installs (`<repo>/.cache/`, git-ignored), and how two
// processes that both find a tool missing avoid installing it over each other.
import { existsSync } from 'node:fs';
import { mkdir, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { isProcessAlive } from './is-process-alive.js';

const INSTALLED_MARKER = '.installed';
const LOCK_POLL_MS = 250;
/** A cold install of the largest tool takes well under this; past it the lock is reported, not stolen. */
const LOCK_WAIT_MS = 15 * 60_000;

let cachedRepoRoot: string | undefined;

/** The repository root: the nearest directory above this file that holds a package.json. */
export function repoRoot(): string {
  if (cachedRepoRoot !== undefined) return cachedRepoRoot;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  cachedRepoRoot = dir;
  return dir;
}

/** A path inside `<repo>/.cache/`; nothing is created. */
export function cachePath(...segments: string[]): string {
  return resolve(repoRoot(), '.cache', ...segments);
}

/**
 * Runs `fn` while holding `.cache/<name>.lock`, created with O_EXCL. A lock left by a process that
 * is no longer alive on this host is taken over; a live holder is waited for.
 */
export async function withInstallLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const lockFile = cachePath(`${name}.lock`);
  await mkdir(dirname(lockFile), { recursive: true });
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    if (await tryCreateLock(lockFile)) break;
    if (await isStale(lockFile)) {
      await rm(lockFile, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${lockFile}; remove it if no install is running`);
    }
    await sleep(LOCK_POLL_MS);
  }
  try {
    return await fn();
  } finally {
    await rm(lockFile, { force: true });
  }
}

/**
 * Makes sure `dir` holds a complete install: returns at once when its marker file exists, otherwise
 * (under the install lock) wipes any half-finished attempt, runs `install(dir)` and writes the
 * marker last, so a crash mid-install is redone next time. Returns whether it installed.
 */
export async function ensureInstalled(dir: string, install: (dir: string) => Promise<void>): Promise<boolean> {
  const marker = join(dir, INSTALLED_MARKER);
  if (existsSync(marker)) return false;
  return withInstallLock(basename(dir), async () => {
    if (existsSync(marker)) return false;
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    await install(dir);
    await writeFile(marker, `${new Date().toISOString()}\n`);
    return true;
  });
}

async function tryCreateLock(lockFile: string): Promise<boolean> {
  try {
    const handle = await open(lockFile, 'wx');
    await handle.writeFile(JSON.stringify({ pid: process.pid, host: hostname() }));
    await handle.close();
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

async function isStale(lockFile: string): Promise<boolean> {
  let owner: { pid?: unknown; host?: unknown };
  try {
    owner = JSON.parse(await readFile(lockFile, 'utf8')) as typeof owner;
  } catch {
    // Half-written: the holder may be between open() and write(). Only an old one is abandoned.
    const info = await stat(lockFile).catch(() => undefined);
    return info !== undefined && Date.now() - info.mtimeMs > 60_000;
  }
  if (owner.host !== hostname() || typeof owner.pid !== 'number') return false;
  return !isProcessAlive(owner.pid);
}

