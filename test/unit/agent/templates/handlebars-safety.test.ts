import Handlebars from 'handlebars';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createGoEngine } from '../../../../agent/templates/go/go-engine.js';
import { createHandlebarsEngine } from '../../../../agent/templates/handlebars/handlebars-engine.js';
import type { RenderOutcome, TemplateEngine } from '../../../../agent/templates/template-engine.js';
import { aLookup, aTemplate, aVaultSecret, compileOrFail, contentOf, read } from './template-builders.js';

const CANARY = 'CANARY-9d4e1f';
const secret = aVaultSecret({
  data: { password: CANARY, count: 424242, flag: false, list: [CANARY], map: { inner: CANARY } },
  metadata: { version: 1 },
});
const lookup = aLookup([[read('secret/data/app'), { kind: 'secret', secret }]]);
const env = { env: { SECRET_ENV: CANARY } };

function renderAll(engine: TemplateEngine, text: string, errorOnMissingKey: boolean): RenderOutcome | { kind: 'compile'; reason: string } {
  const compiled = engine.compile(aTemplate({ contents: text, errorOnMissingKey }), text);
  return compiled.ok ? compiled.template.render(lookup, env) : { kind: 'compile', reason: compiled.reason };
}

describe('template errors never carry data', () => {
  const engine = createHandlebarsEngine();
  const inSecret = (body: string): string => `{{#with (secret "secret/data/app")}}${body}{{/with}}`;

  it.each([
    inSecret('{{Data.data.password.foo}}'),
    inSecret('{{Data.data.password.length.x}}'),
    inSecret('{{Data.data.count.foo}}'),
    inSecret('{{Data.data.flag.foo}}'),
    inSecret('{{#with Data.data.password}}{{nope}}{{/with}}'),
    inSecret('{{#with Data.data.list}}{{nope}}{{/with}}'),
    inSecret('{{#with Data.data.map}}{{nope}}{{/with}}'),
    inSecret('{{Data.data.nope.deeper}}'),
    inSecret('{{base64Decode Data.data.password}}'),
    inSecret('{{parseJSON Data.data.password}}'),
    inSecret('{{index Data.data.password "x"}}'),
    inSecret('{{index Data.data.list 7}}'),
    inSecret('{{printf "%d" Data.data.password}}'),
    inSecret('{{printf "%q" Data.data.password}}'),
    inSecret('{{eq Data.data.map Data.data.password}}'),
    inSecret('{{toUpper Data.data.list}}'),
    inSecret('{{secret Data.data.password Data.data.password}}'),
    inSecret('{{#each Data.data.password}}{{/each}}'),
    inSecret('{{#with Data.data.password Data.data.password}}{{/with}}'),
    '{{toUpper (env "SECRET_ENV") "x"}}',
    `{{#with}${CANARY}`,
    `${CANARY}{{/with}}`,
    `{{#with a}}${CANARY}{{/each}}`,
  ])('%s', (text) => {
    for (const errorOnMissingKey of [false, true]) {
      const outcome = renderAll(engine, text, errorOnMissingKey);
      if (outcome.kind === 'rendered') continue; // output may hold data; reasons and missing lists may not
      expect(JSON.stringify(outcome)).not.toContain(CANARY);
      expect(JSON.stringify(outcome)).not.toContain('424242');
    }
  });

  it('a failed go template names no data either', () => {
    const outcome = renderAll(createGoEngine(), `{{ with secret "kv/a" }}{{ .Data.${CANARY} }}{{ end }}`, false);
    expect(outcome.kind).toBe('compile');
  });
});

describe('prototype access', () => {
  const engine = createHandlebarsEngine();
  const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) => vi.spyOn(console, method).mockImplementation(() => {}));
  afterEach(() => spies.forEach((spy) => spy.mockClear()));

  it.each([
    '{{constructor}}',
    '{{__proto__}}',
    '{{constructor.name}}',
    '{{lookup this "constructor"}}',
    '{{lookup (lookup this "constructor") "name"}}',
    '{{#with constructor}}{{name}}{{/with}}',
    '{{#with (lookup this "__proto__")}}{{toString}}{{/with}}',
    '{{#with (secret "secret/data/app")}}{{constructor.name}}{{Data.constructor}}{{Data.__proto__}}{{Data.data.password.constructor}}{{/with}}',
    '{{#with (secret "secret/data/app")}}{{Data.__defineGetter__}}{{Data.hasOwnProperty}}{{Data.data.toString}}{{/with}}',
    '{{index (parseJSON "{}") "constructor"}}{{env "constructor"}}{{env "toString"}}',
    '{{#each (lookup this "constructor")}}{{this}}{{/each}}',
  ])('%s resolves to nothing, runs nothing, logs nothing', (text) => {
    const outcome = compileOrFail(engine, text).render(lookup, env);
    expect(['rendered', 'failed']).toContain(outcome.kind);
    const shown = JSON.stringify(outcome);
    expect(shown).not.toMatch(/function|native code|\[object/);
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
  });

  it('a key named __proto__ in parsed JSON is data, not a prototype', () => {
    const text = '{{#with (parseJSON "{\\"__proto__\\":{\\"polluted\\":\\"yes\\"}}")}}[{{polluted}}]{{/with}}';
    expect(contentOf(compileOrFail(engine, text).render(lookup, env))).toBe('[]');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('keeps __proto__ as an ordinary write parameter', () => {
    const outcome = compileOrFail(engine, '{{secret "kv/w" "__proto__=x" "a=b"}}').render(aLookup(), env);
    const request = outcome.kind === 'incomplete' ? outcome.missing[0] : undefined;
    if (request?.kind !== 'write') expect.fail(`expected a write request, got ${JSON.stringify(outcome)}`);
    expect(Object.entries(request.params)).toEqual([['__proto__', 'x'], ['a', 'b']]);
    expect(Object.getPrototypeOf(request.params)).toBe(Object.prototype);
  });
});

describe('the handlebars environment is isolated', () => {
  it('registers nothing on the global Handlebars and leaves its compiler alone', () => {
    const appendToBuffer = (Handlebars as unknown as { JavaScriptCompiler: { prototype: { appendToBuffer: unknown } } }).JavaScriptCompiler.prototype.appendToBuffer;
    const compiler = (Handlebars as unknown as { JavaScriptCompiler: unknown }).JavaScriptCompiler;
    createHandlebarsEngine();
    expect(Handlebars.helpers.secret).toBeUndefined();
    expect(Handlebars.helpers.log).toBeDefined();
    expect((Handlebars as unknown as { JavaScriptCompiler: unknown }).JavaScriptCompiler).toBe(compiler);
    expect((Handlebars as unknown as { JavaScriptCompiler: { prototype: { appendToBuffer: unknown } } }).JavaScriptCompiler.prototype.appendToBuffer).toBe(appendToBuffer);
  });

  it('keeps renders of different templates apart (pkiCert asks for its own destination)', () => {
    const engine = createHandlebarsEngine();
    const text = '{{pkiCert "pki/issue/r" "common_name=a"}}';
    const first = engine.compile(aTemplate({ contents: text, destination: '/vault/secrets/one' }), text);
    const second = engine.compile(aTemplate({ name: 'two', contents: text, destination: '/vault/secrets/two' }), text);
    if (!first.ok || !second.ok) expect.fail('expected both to compile');
    const destinations = [first, second].map((compiled) => {
      const outcome = compiled.template.render(aLookup(), env);
      return outcome.kind === 'incomplete' && outcome.missing[0]?.kind === 'pkiCert' ? outcome.missing[0].destination : undefined;
    });
    expect(destinations).toEqual(['/vault/secrets/one', '/vault/secrets/two']);
  });
});
