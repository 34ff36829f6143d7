// Temp dirs under os.tmpdir() with a recognizable prefix, removed by their owner on stop and, as a
// backstop, when this process exits (e.g. after a failed test skipped its teardown). Each records
// the pid that made it, so dirs of a process that was SIGKILLed can be swept later.
import { readdirSync, rmSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onProcessExit } from './on-process-exit.js';
import { isProcessAlive } from './is-process-alive.js';

/** Every temp dir of the test bed starts with this, so leftovers are easy to spot. */
export const TEMP_DIR_PREFIX = 'vault-injector-';
const OWNER_FILE = '.owner-pid';

const live = new Set<string>();
let exitHookInstalled = false;

/** Creates `<tmpdir>/vault-injector-<purpose>-XXXXXX`. */
export async function makeTempDir(purpose: string): Promise<string> {
  installExitHook();
  const dir = await mkdtemp(join(tmpdir(), `${TEMP_DIR_PREFIX}${purpose}-`));
  live.add(dir);
  await writeFile(join(dir, OWNER_FILE), String(process.pid));
  return dir;
}

export async function removeTempDir(dir: string): Promise<void> {
  live.delete(dir);
  await rm(dir, { recursive: true, force: true });
}

/** Removes test-bed temp dirs whose creating process is gone; returns how many. */
export async function removeAbandonedTempDirs(): Promise<number> {
  let removed = 0;
  for (const name of readdirSync(tmpdir()).filter((entry) => entry.startsWith(TEMP_DIR_PREFIX))) {
    const dir = join(tmpdir(), name);
    const pid = Number(await readFile(join(dir, OWNER_FILE), 'utf8').catch(() => 'NaN'));
    if (!Number.isInteger(pid) || isProcessAlive(pid)) continue;
    // Another user's leftovers cannot be removed; they are not ours to clean.
    if (await rm(dir, { recursive: true, force: true }).then(() => true, () => false)) removed++;
  }
  return removed;
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  onProcessExit(() => {
    for (const dir of live) rmSync(dir, { recursive: true, force: true });
  });
}
