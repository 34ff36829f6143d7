import { describe, expect, it } from 'vitest';
import { detectEngine } from '../../../../webhook/templates/detect-engine.js';

describe('template engine detection', () => {
  it.each([
    '{{ with secret "secret/data/db" }}{{ .Data.data.password }}{{ end }}',
    '{{- with secret "db/creds/app" -}}\nuser={{ .Data.username }}\n{{- end }}',
    '{{ with secret "kv/x" }}{{ .Data | toJSON }}{{ end }}',
    '{{ range $k, $v := .Data }}{{ $k }}={{ $v }}\n{{ end }}',
    '{{/* a comment */}}{{ .Data }}',
    '{{ if eq .Data.x "y" }}yes{{ else }}no{{ end }}',
  ])('reads %j as a Go template', (text) => {
    expect(detectEngine(text)).toMatchObject({ ok: true, engine: 'go', reason: 'only-go-syntax' });
  });

  it.each([
    '{{#with (secret "secret/data/db")}}{{data.password}}{{/with}}',
    '{{#each (secret "kv/x")}}{{@key}}={{this}}\n{{/each}}',
    '{{#each items as |item|}}{{item}}{{/each}}',
    '{{{raw}}}',
    '{{! a comment }}{{name}}',
    '{{#if ok}}yes{{else}}no{{/if}}',
  ])('reads %j as handlebars', (text) => {
    expect(detectEngine(text)).toMatchObject({ ok: true, engine: 'handlebars', reason: 'only-handlebars-syntax' });
  });

  it.each(['plain text', 'password={{ env "PASSWORD" }}', '{{ toJSON x }}'])(
    'takes the vault-k8s meaning (go) for %j, which reads the same in both',
    (text) => {
      expect(detectEngine(text)).toEqual({ ok: true, engine: 'go', reason: 'no-distinct-syntax' });
    },
  );

  it('refuses to guess when both syntaxes appear', () => {
    expect(detectEngine('{{#each x}}{{ .Data }}{{/each}}')).toEqual({ ok: false, reason: 'both-syntaxes' });
  });
});
