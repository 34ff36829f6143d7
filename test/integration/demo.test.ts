import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

const demoDirs = async () => (await readdir(tmpdir())).filter((name) => name.startsWith('vault-injector-demo-'));
const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('npm run demo', () => {
  it('admits the example pod, renders the seeded secrets, picks up a rotation, and leaves nothing behind', async () => {
    const dirsBefore = await demoDirs();
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.ts', '--rotation-interval', '1s'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });

    const sections = stdout.split(/\n(?=\d+\. )/);
    const rendered = sections.find((s) => s.startsWith('5. The rendered files'))!;
    expect(rendered).toContain('── /vault/secrets/config');
    expect(rendered).toMatch(/password:hun\*+/); // seeded "hunter2-but-longer", masked
    expect(rendered).toMatch(/api\.key=ak-\*+/);
    expect(rendered).not.toContain('hunter2');
    const rotation = sections.find((s) => s.startsWith('6. Run the sidecar'))!;
    expect(rotation).toMatch(/re-rendered after [\d.]+ s:/);
    expect(rotation).toMatch(/password:rot\*+/); // rotated "rotated-password-2"
    expect(stdout).toContain('Done in');

    const pids = [...stdout.matchAll(/\(pid (\d+)\)/g)].map((m) => Number(m[1]));
    expect(pids.length).toBeGreaterThanOrEqual(2);
    expect(pids.filter(isAlive)).toEqual([]);
    expect(await demoDirs()).toEqual(dirsBefore);
  }, 120_000);
});
