import { describe, expect, it } from 'vitest';
import { createHandlebarsEngine } from '../../../../agent/templates/handlebars/handlebars-engine.js';
import type { SecretRequest, SecretValue } from '../../../../agent/templates/template-engine.js';
import { aLookup, aVaultSecret, compileError, compileOrFail, contentOf, read, reasonOf, renderUntilSettled } from './template-builders.js';

const engine = createHandlebarsEngine();
const env = { env: {} };
const kv2 = aVaultSecret(
  { data: { password: 'hunter2', username: 'app' }, metadata: { version: 3 } },
  { requestId: 'req-9', leaseDuration: 2764800 },
);
const dynamic = aVaultSecret(
  { username: 'v-app', password: 'pw' },
  { leaseId: 'database/creds/app/abc', leaseDuration: 3600, renewable: true, warnings: ['w'] },
);

function render(text: string, entries: [SecretRequest, SecretValue][] = [], options = {}): string {
  return contentOf(compileOrFail(engine, text, options).render(aLookup(entries), env));
}

describe('handlebars engine: the secret object has consul-template field names', () => {
  const entries: [SecretRequest, SecretValue][] = [
    [read('secret/data/app'), { kind: 'secret', secret: kv2 }],
    [read('database/creds/app'), { kind: 'secret', secret: dynamic }],
  ];

  it('reads KV v2 data under Data.data', () => {
    expect(render('{{#with (secret "secret/data/app")}}{{Data.data.username}}:{{Data.data.password}} v{{Data.metadata.version}}{{/with}}', entries)).toBe('app:hunter2 v3');
  });

  it('exposes RequestID, LeaseID, LeaseDuration, Renewable and Warnings', () => {
    expect(render('{{#with (secret "database/creds/app")}}{{RequestID}} {{LeaseID}} {{LeaseDuration}} {{Renewable}} {{Warnings.[0]}}{{/with}}', entries)).toBe(
      'req-1 database/creds/app/abc 3600 true w',
    );
  });

  it('maps Auth to ClientToken, Accessor, Policies, Metadata', () => {
    const auth = { clientToken: 't', accessor: 'a', policies: ['p1', 'p2'], tokenPolicies: [], metadata: { m: 'v' }, leaseDuration: 60, renewable: true };
    const created = aVaultSecret(null, { auth });
    const text = '{{#with (secret "auth/token/create" "policies=p1")}}{{Auth.ClientToken}} {{Auth.Accessor}} {{join "," Auth.Policies}} {{Auth.Metadata.m}} {{Auth.LeaseDuration}}{{/with}}';
    const write: SecretRequest = { kind: 'write', path: 'auth/token/create', params: { policies: 'p1' } };
    expect(render(text, [[write, { kind: 'secret', secret: created }]])).toBe('t a p1,p2 v 60');
  });

  it('works as a block with else, like with', () => {
    expect(render('{{#secret "secret/data/app"}}{{Data.data.username}}{{else}}none{{/secret}}', entries)).toBe('app');
  });

  it('lists with secrets, sorted as consul-template sorts', () => {
    const list: SecretRequest = { kind: 'list', path: 'secret/metadata/apps' };
    expect(render('{{#each (secrets "secret/metadata/apps/")}}{{this}};{{/each}}', [[list, { kind: 'list', keys: ['b', 'a/', 'C'] }]])).toBe('C;a/;b;');
  });

  it('issues certificates with pkiCert: Cert, Key, CA, CAChain and the Data aliases', () => {
    const certificate = { Cert: 'CERT', Key: 'KEY', CA: 'CA', CAChain: ['CA', 'ROOT'] };
    const request: SecretRequest = { kind: 'pkiCert', path: 'pki/issue/web', params: { common_name: 'a.example.com', ttl: '24h' }, destination: '/vault/secrets/app' };
    const text = '{{#pkiCert "pki/issue/web" "common_name=a.example.com" ttl="24h"}}{{Cert}} {{Key}} {{Data.Cert}} {{Data.CA}} {{join "," CAChain}}{{/pkiCert}}';
    expect(render(text, [[request, { kind: 'pkiCert', certificate }]])).toBe('CERT KEY CERT CA CA,ROOT');
  });
});

describe('handlebars engine: dependency discovery', () => {
  it('reports every request of the pass as missing, skipping with-bodies', () => {
    const template = compileOrFail(engine, '{{#with (secret "kv/a")}}{{Data.x}}{{/with}}{{#with (secret "kv/b")}}{{Data.y}}{{/with}}{{#with (secret "kv/a")}}{{/with}}');
    expect(template.render(aLookup(), env)).toEqual({ kind: 'incomplete', missing: [read('kv/a'), read('kv/b')] });
    const partly = aLookup([[read('kv/a'), { kind: 'secret', secret: aVaultSecret({ x: 1 }) }]]);
    expect(template.render(partly, env)).toEqual({ kind: 'incomplete', missing: [read('kv/b')] });
  });

  it('lists each request it used once when complete', () => {
    const template = compileOrFail(engine, '{{#with (secret "kv/a")}}{{Data.x}}{{/with}}{{#with (secret " kv/a/ ")}}{{Data.x}}{{/with}}');
    const lookup = aLookup([[read('kv/a'), { kind: 'secret', secret: aVaultSecret({ x: 1 }) }]]);
    expect(template.render(lookup, env)).toEqual({ kind: 'rendered', content: '11', used: [read('kv/a')] });
  });

  it('finds requests whose path comes from other data, one level per pass', () => {
    const text = '{{#with (secret "kv/pointer")}}{{#with (secret Data.target)}}{{Data.value}}{{/with}}{{/with}}';
    const data: Record<string, Record<string, unknown>> = { 'kv/pointer': { target: 'kv/real' }, 'kv/real': { value: 'found' } };
    const fetched: string[] = [];
    const { outcome, passes } = renderUntilSettled(compileOrFail(engine, text), (request) => {
      fetched.push(request.path);
      return { kind: 'secret', secret: aVaultSecret(data[request.path] ?? null) };
    });
    expect(outcome).toEqual({ kind: 'rendered', content: 'found', used: [read('kv/pointer'), read('kv/real')] });
    expect(passes).toBe(3);
    expect(fetched).toEqual(['kv/pointer', 'kv/real']);
  });

  it('treats an error while data is missing as not yet rendered', () => {
    const template = compileOrFail(engine, '{{base64Decode (lookup (lookup (secret "kv/a") "Data") "b64")}}');
    expect(template.render(aLookup(), env)).toEqual({ kind: 'incomplete', missing: [read('kv/a')] });
  });

  it('fails with the fetch layer message when a request failed for good, even with others missing', () => {
    const template = compileOrFail(engine, '{{#with (secret "kv/missing")}}{{/with}}{{#with (secret "kv/gone")}}{{/with}}');
    const lookup = aLookup([[read('kv/gone'), { kind: 'error', message: 'no secret exists at kv/gone' }]]);
    expect(reasonOf(template.render(lookup, env))).toBe('no secret exists at kv/gone');
  });

  it('turns "k=v" arguments and hash arguments into a write; no argument reads', () => {
    const template = compileOrFail(engine, '{{secret "transit/decrypt/k" "ciphertext = abc" "" context="c2"}}{{secret "kv/a"}}');
    expect(template.render(aLookup(), env)).toEqual({
      kind: 'incomplete',
      missing: [{ kind: 'write', path: 'transit/decrypt/k', params: { ciphertext: 'abc', context: 'c2' } }, read('kv/a')],
    });
  });

  it('gives pkiCert requests the template destination', () => {
    const template = compileOrFail(engine, '{{pkiCert "pki/issue/web" "common_name=a"}}', { destination: '/vault/secrets/tls' });
    expect(template.render(aLookup(), env)).toEqual({
      kind: 'incomplete',
      missing: [{ kind: 'pkiCert', path: 'pki/issue/web', params: { common_name: 'a' }, destination: '/vault/secrets/tls' }],
    });
  });

  it('refuses a bad k=v argument or path, naming the argument, not its value', () => {
    expect(reasonOf(compileOrFail(engine, '{{secret "kv/a" "CANARY"}}').render(aLookup(), env))).toBe('secret: argument 2 is not a "key=value" pair');
    expect(reasonOf(compileOrFail(engine, '{{secret " / "}}').render(aLookup(), env))).toBe('secret: the Vault path is empty');
    expect(reasonOf(compileOrFail(engine, '{{secret 5}}').render(aLookup(), env))).toContain('expected a Vault path');
  });
});

describe('handlebars engine: output', () => {
  const numbers: [SecretRequest, SecretValue][] = [[read('kv/n'), { kind: 'secret', secret: aVaultSecret({ a: 1, b: 2, t: true }) }]];

  it('writes numbers and booleans side by side as text, never as their sum', () => {
    expect(render('{{#with (secret "kv/n")}}{{Data.a}}{{Data.b}}{{Data.t}}{{/with}}', numbers)).toBe('12true');
    expect(render('{{#with (secret "kv/n")}}{{Data.a}}{{/with}}{{#with (secret "kv/n")}}{{Data.b}}{{/with}}', numbers)).toBe('12');
    expect(render('{{eq 1 1}}{{eq 1 1}}')).toBe('truetrue');
  });

  it('returns a string when the template is a single number', () => {
    expect(render('{{#with (secret "kv/n")}}{{Data.a}}{{/with}}', numbers)).toBe('1');
  });

  it('never HTML-escapes', () => {
    const html: [SecretRequest, SecretValue][] = [[read('kv/h'), { kind: 'secret', secret: aVaultSecret({ v: '<a href="x">&\'</a>' }) }]];
    expect(render('{{#with (secret "kv/h")}}{{Data.v}}{{/with}}', html)).toBe('<a href="x">&\'</a>');
  });
});

describe('handlebars engine: missing keys', () => {
  const entries: [SecretRequest, SecretValue][] = [[read('secret/data/app'), { kind: 'secret', secret: kv2 }]];
  const text = 'user={{#with (secret "secret/data/app")}}{{Data.data.usr}}{{/with}};';

  it('renders a missing key as nothing by default (handlebars semantics, not <no value>)', () => {
    expect(render(text, entries)).toBe('user=;');
    expect(render('{{#with (secret "secret/data/app")}}{{Data.nope.deeper}}{{/with}}', entries)).toBe('');
  });

  it('fails naming the key path and position with errorOnMissingKey', () => {
    const template = compileOrFail(engine, text, { errorOnMissingKey: true });
    expect(reasonOf(template.render(aLookup(entries), env))).toBe('missing key Data.data.usr (line 1, column 44) (errorOnMissingKey is on)');
  });

  it('still lets conditions test for a key with errorOnMissingKey', () => {
    const conditional = '{{#with (secret "secret/data/app")}}{{#if Data.data.usr}}x{{else}}none{{/if}}{{/with}}';
    expect(render(conditional, entries, { errorOnMissingKey: true })).toBe('none');
  });

  it('still discovers secrets with errorOnMissingKey', () => {
    const template = compileOrFail(engine, text, { errorOnMissingKey: true });
    expect(template.render(aLookup(), env)).toEqual({ kind: 'incomplete', missing: [read('secret/data/app')] });
  });
});

describe('handlebars engine: compile errors', () => {
  it.each([
    ['{{#with}', /^Parse error on line 1: Expecting/],
    ['{{#with a}}{{/each}}', /^with doesn't match each \(line 1, column 4\)$/],
    ['{{nope "a"}}', /^unknown helper nope \(line 1, column 1\)$/],
    ['{{Data.x "a"}}', /^only helpers take arguments/],
    ['{{#toJSON a}}{{/toJSON}}', /^toJSON cannot open a block/],
    ['x\n  {{writeToFile "c" "/tmp/x" "" "" "0644"}}', /^writeToFile is not supported: .* \(line 2, column 3\)$/],
    ['{{> partial}}', /^partials are not supported/],
    ['{{#> layout}}x{{/layout}}', /^partials are not supported/],
    ['{{#*inline "p"}}x{{/inline}}', /^decorators are not supported/],
    ['{{log "x"}}', /^log is not available/],
    ['{{"log" "x"}}', /^log is not available/],
    ['{{toJSON (nope 1)}}', /^unknown helper nope/],
  ])('refuses %j', (text, reason) => {
    expect(compileError(engine, text)).toMatch(reason);
  });

  it('never quotes the template in a parse error', () => {
    expect(compileError(engine, 'CANARY {{#with}')).not.toContain('CANARY');
  });
});
