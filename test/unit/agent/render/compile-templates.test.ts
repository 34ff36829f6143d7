import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compileTemplates } from '../../../../agent/render/compile-templates.js';
import type { TemplateEngine } from '../../../../agent/templates/template-engine.js';
import { aTemplateConfig } from './fakes.js';

let dir: string;
beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'compile-'))));
afterEach(() => rm(dir, { recursive: true, force: true }));

/** An engine that accepts any text but "bad", and remembers what it compiled. */
function anEngine(compiled: string[]): TemplateEngine {
  return {
    compile(template, text) {
      compiled.push(`${template.name}:${text}`);
      if (text === 'bad') return { ok: false, reason: 'unexpected "}" at line 1' };
      return { ok: true, template: { render: () => ({ kind: 'rendered', content: text, used: [] }) } };
    },
  };
}

describe('compiling templates', () => {
  it('uses the recorded engine, loads each engine once and only when used, and reads source files', async () => {
    await writeFile(join(dir, 'tpl'), 'from file');
    const compiled: string[] = [];
    const loaded: string[] = [];
    const templates = [
      aTemplateConfig({ name: 'a', destination: '/s/a', engine: 'go', contents: 'inline' }),
      aTemplateConfig({ name: 'b', destination: '/s/b', engine: 'go', contents: undefined, source: join(dir, 'tpl') }),
    ];
    const outcome = await compileTemplates(templates, { loadEngine: async (name) => (loaded.push(name), anEngine(compiled)) });
    expect(outcome.ok).toBe(true);
    expect(loaded).toEqual(['go']);
    expect(compiled).toEqual(['a:inline', 'b:from file']);
  });

  it('reports every template that cannot be used, naming it, without its text', async () => {
    const templates = [
      aTemplateConfig({ name: 'a', destination: '/s/a', contents: 'bad' }),
      aTemplateConfig({ name: 'b', destination: '/s/b', contents: undefined, source: join(dir, 'missing') }),
      aTemplateConfig({ name: 'c', destination: '/s/c', contents: 'fine' }),
    ];
    const outcome = await compileTemplates(templates, { loadEngine: async () => anEngine([]) });
    expect(outcome).toEqual({
      ok: false,
      problems: [
        { template: 'a', destination: '/s/a', reason: 'handlebars template: unexpected "}" at line 1' },
        { template: 'b', destination: '/s/b', reason: `cannot read the template file ${join(dir, 'missing')} (ENOENT)` },
      ],
    });
  });
});
