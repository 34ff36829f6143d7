import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  GZIP_BASE64_PREFIX,
  MAX_DECODED_AGENT_CONFIG_BYTES,
  MAX_ENCODED_AGENT_CONFIG_BYTES,
  decodeAgentConfig,
  encodeAgentConfig,
  encodedAgentConfigFits,
} from '../../../contract/agent-config/index.js';
import { aTemplate, anAgentConfig, errorsOf, parsed } from './builders.js';

/** About `totalBytes` of realistic templates: one database DSN and one KV env file per service. */
function manyTemplates(totalBytes: number) {
  const templates = [];
  let size = 0;
  for (let index = 0; size < totalBytes; index++) {
    const contents = [
      `{{- with secret "database/creds/service-${index}" -}}`,
      `postgres://{{ .Data.username }}:{{ .Data.password }}@postgres-${index % 7}.data.svc:5432/app_${index}?sslmode=verify-full`,
      '{{- end }}',
      `{{ with secret "secret/data/teams/payments/service-${index}" -}}`,
      ...['API_KEY', 'API_SECRET', 'WEBHOOK_TOKEN', 'SIGNING_KEY', `FEATURE_FLAG_${index}`].map(
        (key) => `export ${key}="{{ .Data.data.${key.toLowerCase()} }}"`,
      ),
      '{{- end }}',
    ].join('\n');
    size += contents.length;
    templates.push(aTemplate({ name: `service-${index}`, destination: `/vault/secrets/service-${index}.env`, contents }));
  }
  return templates;
}

describe('AgentConfig codec', () => {
  it('round-trips a config through gzip and base64', () => {
    const config = parsed(anAgentConfig({ telemetry: { prefix_filter: ['+vault.agent'], custom: 'kept' } }));
    const encoded = encodeAgentConfig(config);

    expect(encoded.startsWith(GZIP_BASE64_PREFIX)).toBe(true);
    expect(decodeAgentConfig(encoded)).toEqual({ ok: true, config });
  });

  it('encodes the same config to the same text, so repeated admissions give identical pods', () => {
    const config = parsed(anAgentConfig());
    expect(encodeAgentConfig(config)).toBe(encodeAgentConfig(structuredClone(config)));
  });

  it('fits 200 KiB of templates into the environment variable limit', () => {
    const templates = manyTemplates(200 * 1024);
    const config = parsed(anAgentConfig({ templates }));
    const encoded = encodeAgentConfig(config);

    expect(JSON.stringify(config).length).toBeGreaterThan(200 * 1024);
    expect(encoded.length).toBeLessThan(MAX_ENCODED_AGENT_CONFIG_BYTES);
    expect(encodedAgentConfigFits(encoded)).toBe(true);
    expect(decodeAgentConfig(encoded)).toEqual({ ok: true, config });
  });

  it('says when an encoded config does not fit', () => {
    expect(encodedAgentConfigFits('x'.repeat(MAX_ENCODED_AGENT_CONFIG_BYTES))).toBe(true);
    expect(encodedAgentConfigFits('x'.repeat(MAX_ENCODED_AGENT_CONFIG_BYTES + 1))).toBe(false);
  });

  it.each([
    { name: 'raw JSON', encode: (json: string) => json },
    { name: 'raw JSON with surrounding whitespace', encode: (json: string) => `\n  ${json}\n` },
    { name: 'plain base64 JSON, as vault-k8s writes VAULT_CONFIG', encode: (json: string) => Buffer.from(json).toString('base64') },
    {
      name: 'base64 wrapped at 76 columns, as the base64 tool writes it',
      encode: (json: string) => Buffer.from(json).toString('base64').replace(/.{76}/g, '$&\n'),
    },
  ])('decodes $name', ({ encode }) => {
    const config = parsed(anAgentConfig());
    expect(decodeAgentConfig(encode(JSON.stringify(anAgentConfig())))).toEqual({ ok: true, config });
  });

  it('validates what it decodes', () => {
    const encoded = Buffer.from(JSON.stringify({ ...anAgentConfig(), mode: 'daemon' })).toString('base64');
    expect(errorsOf(decodeAgentConfig(encoded))).toEqual([{ path: 'mode', message: 'expected one of: init, sidecar, native-sidecar' }]);
  });

  const gz64 = (bytes: Buffer) => GZIP_BASE64_PREFIX + gzipSync(bytes).toString('base64');

  it.each([
    { name: 'an empty string', text: '', message: /empty string/ },
    { name: 'random text', text: 'hello world', message: /expected "gz64:" \+ base64 gzip, base64 JSON or a JSON object/ },
    { name: 'base64 of something other than JSON', text: Buffer.from('version=1').toString('base64'), message: /base64 JSON/ },
    { name: 'base64 of binary data', text: Buffer.from([0xff, 0xfe, 0x00, 0x7b]).toString('base64'), message: /base64 JSON/ },
    { name: 'broken JSON', text: '{"version": 1,', message: /^expected valid JSON$/ },
    { name: 'a prefix with invalid base64', text: `${GZIP_BASE64_PREFIX}not base64!`, message: /expected base64 after "gz64:"/ },
    { name: 'a prefix with base64 that is not gzip', text: `${GZIP_BASE64_PREFIX}${Buffer.from('{}').toString('base64')}`, message: /expected gzip data/ },
    { name: 'truncated gzip', text: gz64(Buffer.from(JSON.stringify(anAgentConfig()))).slice(0, 40), message: /gzip|base64/ },
    { name: 'gzip of invalid UTF-8', text: gz64(Buffer.from([0x7b, 0xff, 0x7d])), message: /UTF-8/ },
    { name: 'gzip of broken JSON', text: gz64(Buffer.from('{"a":')), message: /^expected valid JSON$/ },
  ])('reports $name as an error instead of throwing', ({ text, message }) => {
    const errors = errorsOf(decodeAgentConfig(text));
    expect(errors).toEqual([{ path: '(root)', message: expect.stringMatching(message) }]);
  });

  it('refuses to inflate beyond its limit', () => {
    const bomb = gz64(Buffer.alloc(MAX_DECODED_AGENT_CONFIG_BYTES + 1, 0x20));
    expect(bomb.length).toBeLessThan(MAX_ENCODED_AGENT_CONFIG_BYTES);
    expect(errorsOf(decodeAgentConfig(bomb))).toEqual([{ path: '(root)', message: `decompressed config exceeds ${MAX_DECODED_AGENT_CONFIG_BYTES} bytes` }]);
  });

  it('reports a value that is not a string instead of throwing', () => {
    expect(errorsOf(decodeAgentConfig(undefined as unknown as string))).toEqual([
      { path: '(root)', message: 'expected an encoded AgentConfig string' },
    ]);
  });
});
