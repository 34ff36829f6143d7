import { describe, expect, it } from 'vitest';
import type { AgentTemplateInput } from '../../../contract/agent-config/index.js';
import { aTemplate, anAgentConfig, errorAt, parseErrors, parsed } from './builders.js';

const withTemplates = (...templates: AgentTemplateInput[]) => anAgentConfig({ templates });

describe('templates', () => {
  it('accepts a template from a file in the agent container', () => {
    const [template] = parsed(withTemplates(aTemplate({ contents: undefined, source: '/vault/custom/db.ctmpl' }))).templates;
    expect(template).toMatchObject({ source: '/vault/custom/db.ctmpl' });
    expect(template?.contents).toBeUndefined();
  });

  it('accepts an empty inline template, which renders an empty file', () => {
    expect(parsed(withTemplates(aTemplate({ contents: '' }))).templates[0]?.contents).toBe('');
  });

  it('accepts no templates, for pods that only want the token', () => {
    expect(parsed(anAgentConfig({ templates: [] })).templates).toEqual([]);
  });

  it.each([
    { name: 'both contents and source', fields: { contents: 'x', source: '/t.ctmpl' } },
    { name: 'neither contents nor source', fields: { contents: undefined } },
  ])('rejects a template with $name', ({ fields }) => {
    expect(parseErrors(withTemplates(aTemplate(fields)))).toEqual([
      { path: 'templates[0]', message: 'expected exactly one of contents (inline text) or source (a file)' },
    ]);
  });

  it('rejects two templates with one destination, naming both', () => {
    const errors = parseErrors(
      withTemplates(
        aTemplate({ name: 'db', destination: '/vault/secrets/db' }),
        aTemplate({ name: 'api', destination: '/vault/secrets/api' }),
        aTemplate({ name: 'db-copy', destination: '/vault/secrets/./db' }),
      ),
    );
    expect(errors).toEqual([
      {
        path: 'templates[2].destination',
        message: 'templates[2] ("db-copy") and templates[0] ("db") both render /vault/secrets/db; each file needs its own template',
      },
    ]);
  });

  it('rejects two templates with one name', () => {
    const errors = parseErrors(withTemplates(aTemplate({ name: 'db' }), aTemplate({ name: 'db', destination: '/vault/secrets/db2' })));
    expect(errorAt(errors, 'templates[1].name').message).toMatch(/templates\[0\] \("db"\)/);
  });

  it('finds duplicate destinations even when another template is invalid', () => {
    const errors = parseErrors(
      withTemplates(aTemplate({ name: 'a' }), aTemplate({ name: 'b', perms: 0o7777 }), aTemplate({ name: 'c' })),
    );
    expect(errors.map((error) => error.path)).toEqual(['templates[1].perms', 'templates[1].destination', 'templates[2].destination']);
  });

  it.each([
    { name: 'a relative destination', fields: { destination: 'secrets/db' }, path: 'templates[0].destination', message: /absolute path/ },
    { name: 'a destination escaping with ..', fields: { destination: '/vault/secrets/../../etc/passwd' }, path: 'templates[0].destination', message: /\.\./ },
    { name: 'a directory destination', fields: { destination: '/vault/secrets/' }, path: 'templates[0].destination', message: /not a directory/ },
    { name: 'no engine', fields: { engine: undefined }, path: 'templates[0].engine', message: /required: expected one of: go, handlebars/ },
    { name: 'an unknown engine', fields: { engine: 'jinja' }, path: 'templates[0].engine', message: /expected one of: go, handlebars/ },
    { name: 'a name with a slash', fields: { name: 'a/b' }, path: 'templates[0].name', message: /secret name/ },
    { name: 'perms as a string', fields: { perms: '0600' }, path: 'templates[0].perms', message: /file mode/ },
    { name: 'perms with setuid', fields: { perms: 0o4755 }, path: 'templates[0].perms', message: /0o777/ },
    { name: 'an empty delimiter', fields: { leftDelimiter: '' }, path: 'templates[0].leftDelimiter', message: /non-empty/ },
    { name: 'custom delimiters with handlebars', fields: { engine: 'handlebars', rightDelimiter: ']]' }, path: 'templates[0].rightDelimiter', message: /need the go engine/ },
    { name: 'a command with argv and shell', fields: { command: { argv: ['kill'], shell: 'kill' } }, path: 'templates[0].command', message: /exactly one of argv or shell/ },
    { name: 'a command with neither argv nor shell', fields: { command: {} }, path: 'templates[0].command', message: /exactly one of argv or shell/ },
    { name: 'a command with an empty argv', fields: { command: { argv: [] } }, path: 'templates[0].command.argv', message: /at least one string/ },
    { name: 'a command timeout of 0', fields: { command: { shell: 'true', timeoutMs: 0 } }, path: 'templates[0].command.timeoutMs', message: /at least 1 millisecond/ },
  ])('rejects $name', ({ fields, path, message }) => {
    expect(errorAt(parseErrors(withTemplates(aTemplate(fields as Partial<AgentTemplateInput>))), path).message).toMatch(message);
  });

  it('accepts custom delimiters for the go engine and commands either as argv or as a shell line', () => {
    const templates = parsed(
      withTemplates(
        aTemplate({ name: 'a', destination: '/vault/secrets/a', leftDelimiter: '[[', rightDelimiter: ']]', command: { argv: ['/bin/kill', '-HUP', '1'] } }),
        aTemplate({ name: 'b', destination: '/vault/secrets/b', engine: 'handlebars', perms: 0o600, command: { shell: 'pkill -HUP app', timeoutMs: 5_000 } }),
      ),
    ).templates;
    expect(templates.map((template) => template.command)).toEqual([
      { argv: ['/bin/kill', '-HUP', '1'], timeoutMs: 30_000 },
      { shell: 'pkill -HUP app', timeoutMs: 5_000 },
    ]);
    expect(templates[1]?.perms).toBe(0o600);
  });
});
