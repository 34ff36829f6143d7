import { describe, expect, it } from 'vitest';
import { createGoEngine } from '../../../../agent/templates/go/go-engine.js';
import { defaultTemplateContents } from '../../../../webhook/templates/default-templates.js';
import {
  aLookup,
  aVaultSecret,
  compileError,
  compileOrFail,
  contentOf,
  read,
  readFixture,
  reasonOf,
  vaultSecretFromResponse,
} from './template-builders.js';

const engine = createGoEngine();
const go = { engine: 'go' as const, name: 'db' };
const env = { env: {} };

function renderWith(text: string, path: string, data: Record<string, unknown> | null): string {
  const lookup = aLookup([[read(path), { kind: 'secret', secret: aVaultSecret(data) }]]);
  return contentOf(compileOrFail(engine, text, go).render(lookup, env));
}

describe('go engine: vault-k8s default templates, byte-identical to bao agent', () => {
  for (const mount of ['kv1', 'kv2'] as const) {
    const response = JSON.parse(readFixture(`bao-agent-2.7.2/${mount}-response.json`)) as Record<string, unknown>;
    const path = mount === 'kv1' ? 'kv1/canon' : 'secret/data/canon';
    const lookup = aLookup([[read(path), { kind: 'secret', secret: vaultSecretFromResponse(response) }]]);

    for (const format of ['map', 'json'] as const) {
      it(`renders the ${format} template of a ${mount} secret as bao agent did`, () => {
        const template = compileOrFail(engine, defaultTemplateContents(format, path), go);
        expect(contentOf(template.render(lookup, env))).toBe(readFixture(`bao-agent-2.7.2/${mount}-${format}.txt`));
      });
    }
  }

  it('gives a KV v2 secret exactly two lines, data and metadata', () => {
    const data = { data: { password: 'p', username: 'u' }, metadata: { created_time: 't', custom_metadata: null, deletion_time: '', destroyed: false, version: 1 } };
    expect(renderWith(defaultTemplateContents('map', 'secret/data/app'), 'secret/data/app', data)).toBe(
      'data: map[password:p username:u]\nmetadata: map[created_time:t custom_metadata:<nil> deletion_time: destroyed:false version:1]\n',
    );
  });

  it('prints a top-level null as <no value> and a nested one as <nil>, as text/template does', () => {
    expect(renderWith(defaultTemplateContents('map', 'kv/a'), 'kv/a', { a: null, b: { c: null } })).toBe('a: <no value>\nb: map[c:<nil>]\n');
  });

  it('renders nothing for a secret without data, and null JSON', () => {
    expect(renderWith(defaultTemplateContents('map', 'kv/a'), 'kv/a', null)).toBe('');
    expect(renderWith(defaultTemplateContents('json', 'kv/a'), 'kv/a', null)).toBe('null\n');
  });
});

describe('go engine: recognising the default templates by structure', () => {
  const data = { b: '2', a: '1' };

  it.each([
    ['vault-k8s map', '{{ with secret "kv/a" }}{{ range $k, $v := .Data }}{{ $k }}: {{ $v }}\n{{ end }}{{ end }}', 'a: 1\nb: 2\n'],
    ['no spaces', '{{with secret "kv/a"}}{{range $k, $v := .Data}}{{$k}}: {{$v}}\n{{end}}{{end}}', 'a: 1\nb: 2\n'],
    ['trim markers', '{{- with secret "kv/a" -}}\n  {{- range $key, $value := .Data }}{{ $key }}={{ $value }}\n{{ end -}}\n{{- end }}', 'a=1\nb=2\n'],
    ['a raw-string path', '{{ with secret `kv/a` }}{{ .Data | toJSON }}{{ end }}', '{"a":"1","b":"2"}'],
    ['toJSON as a call', '{{ with secret "kv/a" }}{{ toJSON .Data }}\n{{ end }}', '{"a":"1","b":"2"}\n'],
    ['range over values only', '{{ with secret "kv/a" }}{{ range $v := .Data }}[{{ $v }}]{{ end }}{{ end }}', '[1][2]'],
    ['text around the actions', 'export X\n{{ with secret "kv/a" }}{{ .Data|toJSON }}{{ end }}\n', 'export X\n{"a":"1","b":"2"}\n'],
    ['newlines inside actions', '{{ with\nsecret "kv/a" }}{{ .Data | toJSON }}{{ end }}', '{"a":"1","b":"2"}'],
    ['a path with slashes around it', '{{ with secret " /kv/a/ " }}{{ .Data | toJSON }}{{ end }}', '{"a":"1","b":"2"}'],
  ])('accepts %s', (_, text, output) => {
    expect(renderWith(text, 'kv/a', data)).toBe(output);
  });

  it('renders a template without actions as it is', () => {
    expect(contentOf(compileOrFail(engine, 'plain text\n', go).render(aLookup(), env))).toBe('plain text\n');
  });

  it('uses the template delimiters', () => {
    const text = '[[ with secret "kv/a" ]][[ .Data | toJSON ]][[ end ]] {{ not an action }}';
    const lookup = aLookup([[read('kv/a'), { kind: 'secret', secret: aVaultSecret(data) }]]);
    const template = compileOrFail(engine, text, { ...go, leftDelimiter: '[[', rightDelimiter: ']]' });
    expect(contentOf(template.render(lookup, env))).toBe('{"a":"1","b":"2"} {{ not an action }}');
  });

  it('decodes Go escapes in the path and turns "k=v" arguments into a write', () => {
    const template = compileOrFail(engine, '{{ with secret "pki/issue/\\x77eb" "common_name=a.example.com" }}{{ .Data | toJSON }}{{ end }}', go);
    const outcome = template.render(aLookup(), env);
    expect(outcome).toEqual({ kind: 'incomplete', missing: [{ kind: 'write', path: 'pki/issue/web', params: { common_name: 'a.example.com' } }] });
  });

  it.each([
    ['a custom template', '{{ with secret "kv/a" }}{{ .Data.data.password }}{{ end }}', 'line 1: this action is not part'],
    ['printf', '{{ printf "%s" "x" }}', 'line 1'],
    ['an action on a later line', 'a\nb\n{{ if true }}x{{ end }}', 'line 3'],
    ['a variable outside its range', '{{ with secret "kv/a" }}{{ $v }}{{ end }}', 'undefined variable $v'],
    ['.Data outside with', '{{ range $k, $v := .Data }}{{ end }}', '`.Data` outside `with secret`'],
    ['a missing end', '{{ with secret "kv/a" }}{{ .Data | toJSON }}', 'unclosed with'],
    ['an extra end', '{{ end }}', 'unexpected `end`'],
    ['an unclosed action', '{{ with secret "kv/a" ', 'unclosed action'],
    ['a comment', '{{/* note */}}', 'comments are not supported yet'],
    ['a bad k=v argument', '{{ with secret "pki/issue/x" "nokey" }}{{ end }}', 'this action is not part'],
    ['an invalid escape', '{{ with secret "kv/\\q" }}{{ end }}', 'this action is not part'],
  ])('refuses %s, pointing at the handlebars engine', (_, text, detail) => {
    const reason = compileError(engine, text, go);
    expect(reason).toContain(detail);
    expect(reason).toContain(
      "the go engine currently supports vault-k8s's default templates; use the handlebars engine " +
        '(vault.hashicorp.com/agent-template-engine-db: handlebars) for custom templates until the Go-template engine lands',
    );
  });
});

describe('go engine: discovery and failures', () => {
  const template = compileOrFail(engine, defaultTemplateContents('map', 'kv/a'), go);

  it('reports the secret as missing until it is fetched, then lists it as used', () => {
    expect(template.render(aLookup(), env)).toEqual({ kind: 'incomplete', missing: [read('kv/a')] });
    const lookup = aLookup([[read('kv/a'), { kind: 'secret', secret: aVaultSecret({ k: 'v' }) }]]);
    expect(template.render(lookup, env)).toEqual({ kind: 'rendered', content: 'k: v\n', used: [read('kv/a')] });
  });

  it('fails with the fetch error, which names the path and no data', () => {
    const lookup = aLookup([[read('kv/a'), { kind: 'error', message: 'no secret exists at kv/a' }]]);
    expect(reasonOf(template.render(lookup, env))).toBe('no secret exists at kv/a');
  });
});
