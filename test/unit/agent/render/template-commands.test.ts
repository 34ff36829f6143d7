import { describe, expect, it } from 'vitest';
import { planCommands, runTemplateCommand } from '../../../../agent/render/template-commands.js';
import { aTemplateConfig } from './fakes.js';

describe('template commands', () => {
  it('plans the commands of changed templates in config order, each distinct command once', () => {
    const templates = [
      aTemplateConfig({ name: 'a', destination: '/s/a', command: { shell: 'reload' } }),
      aTemplateConfig({ name: 'b', destination: '/s/b' }),
      aTemplateConfig({ name: 'c', destination: '/s/c', command: { argv: ['kill', '-HUP', '1'] } }),
      aTemplateConfig({ name: 'd', destination: '/s/d', command: { shell: 'reload' } }),
    ];
    expect(planCommands(templates).map((p) => [p.command.shell ?? p.command.argv, p.templates])).toEqual([
      ['reload', ['a', 'd']],
      [['kill', '-HUP', '1'], ['c']],
    ]);
  });

  it('runs a shell line with /bin/sh -c and reports its exit code, not its output', async () => {
    const result = await runTemplateCommand({ shell: 'echo secret-output; exit 3', timeoutMs: 5_000 }, { env: {} });
    expect(result).toMatchObject({ ok: false, exitCode: 3, signal: null, timedOut: false });
    expect(JSON.stringify(result)).not.toContain('secret-output');
  });

  it('runs argv directly, with the given environment', async () => {
    const ok = await runTemplateCommand({ argv: ['/bin/sh', '-c', 'test "$X" = 1'], timeoutMs: 5_000 }, { env: { X: '1' } });
    expect(ok).toMatchObject({ ok: true, exitCode: 0 });
    const missing = await runTemplateCommand({ argv: ['/nonexistent/program'], timeoutMs: 5_000 }, { env: {} });
    expect(missing).toMatchObject({ ok: false, spawnError: 'ENOENT' });
  });

  it('kills the whole process group when the timeout passes', async () => {
    const started = Date.now();
    const result = await runTemplateCommand({ shell: 'sleep 30 & sleep 30; wait', timeoutMs: 200 }, { env: {} });
    expect(result).toMatchObject({ ok: false, timedOut: true, signal: 'SIGTERM' });
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});
