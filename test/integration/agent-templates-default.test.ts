// The go engine's default templates and the handlebars helpers against the reference agent:
// the same secrets in the shared OpenBao, rendered once by `bao agent` (OpenBao's port of Vault
// Agent and consul-template) and once by our engines, must give the same bytes.
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGoEngine } from '../../agent/templates/go/go-engine.js';
import { createHandlebarsEngine } from '../../agent/templates/handlebars/handlebars-engine.js';
import type { CompiledTemplate, RenderOutcome, SecretRequest, SecretValue } from '../../agent/templates/template-engine.js';
import { parseSuccessBody } from '../../agent/vault/vault-response.js';
import { defaultTemplateContents } from '../../webhook/templates/default-templates.js';
import { ensureBao } from '../support/openbao.js';
import { enableKvV1, enableKvV2, uniqueName } from '../support/openbao-secrets.js';
import { runCommand } from '../support/run-command.js';
import { sharedOpenBao } from '../support/shared-test-bed.js';
import { makeTempDir, removeTempDir } from '../support/temp-dir.js';
import { aLookup, compileOrFail, contentOf, read } from '../unit/agent/templates/template-builders.js';

/** Values that Go and JavaScript print differently unless the formatting is exactly Go's. */
const TRICKY = {
  one: 1, half: 1.5, e8: 100000000, big: 123456789, e21: 1e21, tiny: 0.000001, tinier: 1e-7, neg: -1.25,
  t: true, f: false, nul: null, empty: '',
  uni: 'héllo ☃ 😀', html: '<a href="x">&amp;</a>', ls: 'x\u2028y\u2029z', ctl: 'a\b\f\n\r\t\u0001\u001f\u007f"\\/',
  arr: [1, 'a', null, true, [2, 3], { k: 'v' }, []],
  nested: { z: 1, a: { b: null, c: [] }, m: {} },
  'key with space': 'v', Zupper: 'Z', ümlaut: 1, '😀emoji': 2, '\uffa0hw': 3,
  password: 'canary-5b1e',
};
/** KV v2 stores float64s, so literals JSON.parse cannot keep come back in Go's canonical form. */
const KV2_EXTRA_LITERALS = ',"literals":[1.0,1e2,-0.0,12345678901234567890]';

describe('templates against bao agent (byte-identical output)', () => {
  const bao = sharedOpenBao();
  const go = createGoEngine();
  const handlebars = createHandlebarsEngine();
  const kv1 = uniqueName('kv1');
  const kv2 = uniqueName('kv2');
  const kv1Path = `${kv1}/app`;
  const kv2Path = `${kv2}/data/app`;
  const literalsPath = `${kv1}/literals`;
  let dir = '';
  const baoOutput = new Map<string, string>();

  /** The body, or undefined for a 404. */
  async function vault(method: 'GET' | 'PUT', path: string, body?: string): Promise<string | undefined> {
    const response = await fetch(`${bao.addr}/v1/${path}`, { method, headers: { 'X-Vault-Token': bao.rootToken }, body });
    const text = await response.text();
    if (response.status === 404) return undefined;
    if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status}`);
    return text;
  }

  /** What the agent's fetch layer would hand the engines, through the agent's own response parser. */
  async function fetchValue(request: SecretRequest): Promise<SecretValue> {
    const body = await vault('GET', request.path);
    const secret = body === undefined ? undefined : parseSuccessBody(body);
    if (secret === undefined) return { kind: 'error', message: `no secret exists at ${request.path}` };
    return { kind: 'secret', secret };
  }

  async function renderWithOpenBao(template: CompiledTemplate): Promise<{ outcomes: RenderOutcome[] }> {
    const lookup = aLookup();
    const outcomes: RenderOutcome[] = [];
    for (let pass = 0; pass < 5; pass++) {
      const outcome = template.render(lookup, { env: {} });
      outcomes.push(outcome);
      if (outcome.kind !== 'incomplete') break;
      for (const request of outcome.missing) lookup.set(request, await fetchValue(request));
    }
    return { outcomes };
  }

  async function rendered(template: CompiledTemplate): Promise<string> {
    const { outcomes } = await renderWithOpenBao(template);
    return contentOf(outcomes.at(-1) as RenderOutcome);
  }

  /** name → [the Go template bao agent renders, our template, our engine]. */
  const cases: Record<string, [goTemplate: string, ours: string, engine: 'go' | 'handlebars']> = {
    'kv1 map': [defaultTemplateContents('map', kv1Path), defaultTemplateContents('map', kv1Path), 'go'],
    'kv1 json': [defaultTemplateContents('json', kv1Path), defaultTemplateContents('json', kv1Path), 'go'],
    'kv2 map': [defaultTemplateContents('map', kv2Path), defaultTemplateContents('map', kv2Path), 'go'],
    'kv2 json': [defaultTemplateContents('json', kv2Path), defaultTemplateContents('json', kv2Path), 'go'],
    'kv2 map with trim markers and text': [
      `# app\n{{- with secret "${kv2Path}" -}}\n{{ range $key, $value := .Data }}{{ $key }}={{ $value }}\n{{ end }}{{- end }}`,
      `# app\n{{- with secret "${kv2Path}" -}}\n{{ range $key, $value := .Data }}{{ $key }}={{ $value }}\n{{ end }}{{- end }}`,
      'go',
    ],
    'kv2 json from handlebars toJSON': [defaultTemplateContents('json', kv2Path), `{{#with (secret "${kv2Path}")}}{{toJSON Data}}\n{{/with}}`, 'handlebars'],
    'toJSONPretty from handlebars': [
      `{{ with secret "${kv2Path}" }}{{ .Data.data | toJSONPretty }}{{ end }}`,
      `{{#with (secret "${kv2Path}")}}{{toJSONPretty Data.data}}{{/with}}`,
      'handlebars',
    ],
    'base64 helpers from handlebars': [
      `{{ with secret "${kv2Path}" }}{{ .Data.data.uni | base64Encode }}|{{ .Data.data.html | base64URLEncode }}|{{ .Data.data.uni | toUpper }}{{ end }}`,
      `{{#secret "${kv2Path}"}}{{base64Encode Data.data.uni}}|{{base64URLEncode Data.data.html}}|{{toUpper Data.data.uni}}{{/secret}}`,
      'handlebars',
    ],
    'known difference: KV v1 number literals': [defaultTemplateContents('map', literalsPath), defaultTemplateContents('map', literalsPath), 'go'],
  };

  beforeAll(async () => {
    await enableKvV1(bao, kv1);
    await enableKvV2(bao, kv2);
    const data = JSON.stringify(TRICKY);
    await vault('PUT', kv1Path, data);
    await vault('PUT', kv2Path, `{"data":${data.slice(0, -1)}${KV2_EXTRA_LITERALS}}}`);
    await vault('PUT', literalsPath, '{"whole":1.0,"hundred":1e2,"big":12345678901234567890,"plain":7}');
    await vault('PUT', `${kv2}/data/pointer`, JSON.stringify({ data: { target: kv2Path } }));

    dir = await makeTempDir('agent-templates');
    const tokenFile = join(dir, 'token');
    await writeFile(tokenFile, bao.rootToken, { mode: 0o600 });
    await chmod(tokenFile, 0o600);
    const names = Object.keys(cases);
    const config = {
      vault: { address: bao.addr },
      auto_auth: { method: [{ type: 'token_file', config: { token_file_path: tokenFile } }] },
      exit_after_auth: true,
      template_config: { exit_on_retry_failure: true },
      template: names.map((name, index) => ({ contents: cases[name]?.[0], destination: join(dir, `out-${index}`) })),
    };
    const configFile = join(dir, 'agent.json');
    await writeFile(configFile, JSON.stringify(config));
    // Nothing inherited: no BAO_*/VAULT_* setting of the developer's shell reaches the agent.
    await runCommand(await ensureBao(), ['agent', `-config=${configFile}`], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir },
      cwd: dir,
      timeoutMs: 60_000,
    });
    for (const [index, name] of names.entries()) baoOutput.set(name, await readFile(join(dir, `out-${index}`), 'utf8'));
  });

  afterAll(async () => {
    if (dir !== '') await removeTempDir(dir);
  });

  it.each(Object.keys(cases).filter((name) => !name.startsWith('known difference')))('%s', async (name) => {
    const [, ours, engine] = cases[name] ?? ['', '', 'go'];
    const template = compileOrFail(engine === 'go' ? go : handlebars, ours, { engine });
    const expected = baoOutput.get(name);
    expect(expected).toBeDefined();
    expect(await rendered(template)).toBe(expected);
  });

  it('renders the tricky values as Go does (a few lines spelled out)', () => {
    const lines = (baoOutput.get('kv1 map') ?? '').split('\n');
    expect(lines).toContain('e8: 100000000');
    expect(lines).toContain('e21: 1e+21');
    expect(lines).toContain('tinier: 1e-7');
    expect(lines).toContain('nul: <no value>');
    expect(lines).toContain('nested: map[a:map[b:<nil> c:[]] m:map[] z:1]');
    expect(lines.at(-2)).toBe('😀emoji: 2'); // UTF-8 byte order puts U+1F600 after U+FFA0
    expect(baoOutput.get('kv2 json')).toContain('"literals":[1,100,-0,12345678901234567000]');
  });

  it('known difference: KV v1 returns number literals as written, and we print their canonical form', async () => {
    // The Vault client decodes with UseNumber, so Go prints `1.0` and `1e2` as written; JSON.parse keeps only the value.
    expect(baoOutput.get('known difference: KV v1 number literals')).toBe('big: 12345678901234567890\nhundred: 1e2\nplain: 7\nwhole: 1.0\n');
    const template = compileOrFail(go, defaultTemplateContents('map', literalsPath), { engine: 'go' });
    expect(await rendered(template)).toBe('big: 12345678901234567000\nhundred: 100\nplain: 7\nwhole: 1\n');
  });

  it('asks for the secret first, then renders and reports it as used', async () => {
    const template = compileOrFail(go, defaultTemplateContents('map', kv2Path), { engine: 'go' });
    const { outcomes } = await renderWithOpenBao(template);
    expect(outcomes.map((outcome) => outcome.kind)).toEqual(['incomplete', 'rendered']);
    expect(outcomes[0]).toEqual({ kind: 'incomplete', missing: [read(kv2Path)] });
    expect(outcomes[1]).toMatchObject({ kind: 'rendered', used: [read(kv2Path)] });
  });

  it('follows a secret whose path is stored in another secret, one pass per level', async () => {
    const text = `{{#with (secret "${kv2}/data/pointer")}}{{#with (secret Data.data.target)}}{{Data.data.password}}{{/with}}{{/with}}`;
    const { outcomes } = await renderWithOpenBao(compileOrFail(handlebars, text));
    expect(outcomes).toEqual([
      { kind: 'incomplete', missing: [read(`${kv2}/data/pointer`)] },
      { kind: 'incomplete', missing: [read(kv2Path)] },
      { kind: 'rendered', content: 'canary-5b1e', used: [read(`${kv2}/data/pointer`), read(kv2Path)] },
    ]);
  });

  it('fails with the fetch message for a secret that does not exist', async () => {
    const template = compileOrFail(go, defaultTemplateContents('json', `${kv1}/nothing-here`), { engine: 'go' });
    const { outcomes } = await renderWithOpenBao(template);
    expect(outcomes.at(-1)).toEqual({ kind: 'failed', reason: `no secret exists at ${kv1}/nothing-here` });
  });
});
