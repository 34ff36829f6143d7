import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');

describe('the esbuild bundle', () => {
  const outdir = mkdtemp(join(tmpdir(), 'vault-injector-build-'));
  afterAll(async () => rm(await outdir, { recursive: true, force: true }));

  it('builds a standalone CLI that runs without the sources or tsx', async () => {
    const dir = await outdir;
    await run(process.execPath, ['--import', 'tsx', 'scripts/build.ts', '--outdir', dir], { cwd: root });
    // Run from an empty directory so nothing can resolve from the checkout's node_modules.
    const { stdout } = await run(process.execPath, [join(dir, 'cli.js'), 'annotations', '--json'], { cwd: dir });
    const rows = JSON.parse(stdout) as { key: string }[];
    expect(rows.map((r) => r.key)).toContain('vault.hashicorp.com/agent-inject');
  });
});

describe('bin/vault-injector', () => {
  it('lists at least the 74 vault-k8s annotations with descriptions', async () => {
    const { stdout } = await run(join(root, 'bin/vault-injector'), ['annotations', '--json']);
    const rows = JSON.parse(stdout) as { key: string; description: string; default: string | null; extension: boolean }[];
    expect(rows.filter((r) => !r.extension).length).toBeGreaterThanOrEqual(74);
    expect(rows.every((r) => r.description.length > 0)).toBe(true);
  });

  it('prints a table, and exits 2 with a message on an unknown option', async () => {
    const { stdout } = await run(join(root, 'bin/vault-injector'), ['annotations']);
    expect(stdout.split('\n')[0]).toMatch(/^KEY\s+TYPE\s+DEFAULT\s+NOTES\s+DESCRIPTION$/);
    await expect(run(join(root, 'bin/vault-injector'), ['annotations', '--nope'])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--nope'),
    });
  });
});
