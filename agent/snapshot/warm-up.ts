/**
 * What the agent's startup snapshot holds ready (agent/snapshot/main.ts): every module
 * an agent run may import, evaluated — the zod schemas of the AgentConfig built, handlebars
 * loaded — and the paths every run takes exercised once on fixed, made-up input: a config parsed
 * (zod fills its lazy caches) and a template of each engine compiled and rendered.
 *
 * Pure on purpose: no environment, argv, clock, randomness, file or socket. Whatever this creates
 * is frozen into the blob and shared by every run, so nothing here may depend on the machine that
 * builds it. The run itself reads argv and env only after the snapshot was deserialized.
 */
import { parseAgentConfig, type AgentConfigInput } from '../../contract/agent-config/index.js';
import type { SecretLookup, SecretValue } from '../templates/template-engine.js';

/** A config using most of the schema; never written anywhere, only parsed. The go template is vault-k8s's default `map` one. */
const SAMPLE: AgentConfigInput = {
  version: 1,
  mode: 'init',
  vault: { address: 'http://vault.invalid:8200' },
  auth: { method: 'kubernetes', role: 'warm-up' },
  sinks: [{ path: '/warm-up/token' }],
  templates: [
    { name: 'go', destination: '/warm-up/go', engine: 'go', contents: '{{ with secret "kv/data/warm-up" }}{{ range $k, $v := .Data }}{{ $k }}: {{ $v }}\n{{ end }}{{ end }}' },
    { name: 'handlebars', destination: '/warm-up/handlebars', engine: 'handlebars', contents: '{{#secret "kv/data/warm-up"}}{{data.data.key}}{{/secret}}', perms: 0o640 },
  ],
  log: { level: 'info', format: 'json' },
};

const SECRET: SecretValue = {
  kind: 'secret',
  secret: { requestId: '', leaseId: '', leaseDuration: 0, renewable: false, data: { data: { key: 'value' }, metadata: { version: 1 } }, warnings: null, auth: null, wrapInfo: null },
};

export async function warmUp(): Promise<void> {
  const [, go, handlebars] = await Promise.all([
    import('../run/create-components.js'),
    import('../templates/go/go-engine.js'),
    import('../templates/handlebars/handlebars-engine.js'),
  ]);
  const parsed = parseAgentConfig(SAMPLE, { jitless: true });
  if (!parsed.ok) throw new Error(`the warm-up config does not parse: ${parsed.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
  const lookup: SecretLookup = { lookup: () => SECRET };
  const engines = { go: go.createGoEngine(), handlebars: handlebars.createHandlebarsEngine() };
  for (const template of parsed.config.templates) {
    const compiled = engines[template.engine].compile(template, template.contents ?? '');
    if (!compiled.ok) throw new Error(`the warm-up ${template.engine} template does not compile: ${compiled.reason}`);
    const outcome = compiled.template.render(lookup, { env: {} });
    if (outcome.kind !== 'rendered') throw new Error(`the warm-up ${template.engine} template does not render (${outcome.kind})`);
  }
}
