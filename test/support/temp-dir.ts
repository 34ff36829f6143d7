// Temp dirs under os.tmpdir() with a recognizable prefix, removed by their owner on stop and, as a
// backstop, when this process exits (e.g. after a failed test skipped its teardown).
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Every temp dir of the test bed starts with this, so leftovers are easy to spot. */
export const TEMP_DIR_PREFIX = 'vault-injector-';

const live = new Set<string>();
let exitHookInstalled = false;

/** Creates `<tmpdir>/vault-injector-<purpose>-XXXXXX`. */
export async function makeTempDir(purpose: string): Promise<string> {
  installExitHook();
  const dir = await mkdtemp(join(tmpdir(), `${TEMP_DIR_PREFIX}${purpose}-`));
  live.add(dir);
  return dir;
}

export async function removeTempDir(dir: string): Promise<void> {
  live.delete(dir);
  await rm(dir, { recursive: true, force: true });
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const dir of live) rmSync(dir, { recursive: true, force: true });
  });
}
