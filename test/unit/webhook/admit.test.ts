import jsonpatch from 'fast-json-patch';
import { describe, expect, it } from 'vitest';
import { readAgentConfigFromEnv, type AgentConfig } from '../../../contract/agent-config/index.js';
import type { AdmissionOutcome, AdmissionRequest } from '../../../webhook/admission-types.js';
import { createAdmit } from '../../../webhook/admit.js';
import { annotations, injectable, PREFIX } from '../../builders/annotations.js';

const admit = createAdmit({ annotationPrefix: PREFIX, injectorDefaults: {}, vaultCaCertPem: undefined });

type Json = Record<string, unknown>;

/** A pod as the API server hands it to webhooks: the ServiceAccount plugin already ran. */
function podWith(podAnnotations: Record<string, unknown>, extra: Json = {}): Json {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-1', namespace: 'app', annotations: podAnnotations },
    spec: {
      containers: [
        {
          name: 'web',
          image: 'nginx',
          volumeMounts: [{ name: 'kube-api-access-x1', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true }],
        },
      ],
      volumes: [{ name: 'kube-api-access-x1', projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3607 } }] } }],
    },
    ...extra,
  };
}

function request(object: unknown, overrides: Partial<AdmissionRequest> = {}): AdmissionRequest {
  return { uid: 'u-1', operation: 'CREATE', kind: { group: '', version: 'v1', kind: 'Pod' }, namespace: 'app', object, ...overrides };
}

function injected(outcome: AdmissionOutcome) {
  if (outcome.kind !== 'inject') throw new Error(`expected an injection, got ${JSON.stringify(outcome)}`);
  return outcome;
}

function agentConfigOf(pod: Json, containerName: string): AgentConfig {
  const spec = pod['spec'] as { containers: Json[]; initContainers?: Json[] };
  const container = [...spec.containers, ...(spec.initContainers ?? [])].find((c) => c['name'] === containerName)!;
  const env = Object.fromEntries((container['env'] as { name: string; value?: string }[]).map((e) => [e.name, e.value]));
  const result = readAgentConfigFromEnv(env);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.config;
}

describe('the admission decision', () => {
  it.each([
    ['no agent-inject annotation', podWith({}), {}, 'no-annotation'],
    ['agent-inject false, even with bad annotations', podWith(annotations({ 'agent-inject': 'false', 'agent-run-as-user': 'x' })), {}, 'disabled'],
    ['an injected pod', podWith(injectable({ 'agent-inject-status': 'injected' })), {}, 'already-injected'],
    ['a running pod', podWith(injectable(), { status: { phase: 'Running' } }), {}, 'not-pending'],
    ['an UPDATE', podWith(injectable()), { operation: 'UPDATE' }, 'not-create'],
    ['a Deployment', podWith(injectable()), { kind: { group: 'apps', version: 'v1', kind: 'Deployment' } }, 'not-pod'],
    ['a subresource', podWith(injectable()), { subResource: 'status' }, 'not-pod'],
    ['an unannotated pod in kube-system', podWith({}), { namespace: 'kube-system' }, 'no-annotation'],
  ])('skips %s', (_, object, overrides, reason) => {
    expect(admit(request(object, overrides))).toEqual({ kind: 'skip', reason, warnings: [] });
  });

  it.each(['kube-system', 'kube-public'])('denies injection into %s', (namespace) => {
    expect(admit(request(podWith(injectable()), { namespace }))).toMatchObject({ kind: 'deny', reason: 'system-namespace' });
  });

  it.each([
    ['a missing object', undefined],
    ['an object that is a string', 'pod'],
    ['annotations that are a list', { metadata: { annotations: ['x'] } }],
  ])('denies %s with a message', (_, object) => {
    const outcome = admit(request(object));
    expect(outcome).toMatchObject({ kind: 'deny', reason: 'invalid-pod' });
    expect(outcome.kind === 'deny' && outcome.message.length).toBeGreaterThan(10);
  });

  it('denies once, naming every bad annotation key', () => {
    const outcome = admit(request(podWith(annotations({ 'agent-inject': 'yes', 'agent-run-as-user': 'abc', 'auth-min-backoff': '5 parsecs' }))));
    expect(outcome.kind).toBe('deny');
    if (outcome.kind !== 'deny') return;
    expect(outcome.reason).toBe('invalid-annotations');
    expect(outcome.message).toContain('3 problems');
    for (const key of ['agent-inject', 'agent-run-as-user', 'auth-min-backoff']) expect(outcome.message).toContain(`${PREFIX}${key}:`);
  });

  it('denies a handlebars template that does not parse, with its name and position', () => {
    const outcome = admit(request(podWith(injectable({ 'agent-inject-template-db': '{{#with (secret "kv/db")}}\n{{data.user}\n{{/with}}' }))));
    expect(outcome).toMatchObject({ kind: 'deny', reason: 'invalid-template' });
    expect(outcome.kind === 'deny' && outcome.message).toMatch(/agent-inject-template-db: handlebars template syntax error at line 2, column \d+/);
  });

  it('denies a template that mixes both syntaxes, saying how to choose', () => {
    const outcome = admit(request(podWith(injectable({ 'agent-inject-template-db': '{{#each x}}{{ .Data }}{{/each}}' }))));
    expect(outcome.kind === 'deny' && outcome.message).toContain('agent-template-engine-db');
  });

  it('injects a vault-k8s annotated pod; the patch applies and yields the agent containers and volume', () => {
    const pod = podWith(injectable());
    const outcome = injected(admit(request(pod)));
    const result = jsonpatch.applyPatch(structuredClone(pod), outcome.patch, true, false).newDocument as Json;
    const spec = result['spec'] as { containers: Json[]; initContainers: Json[]; volumes: Json[] };
    expect(spec.initContainers.map((c) => c['name'])).toEqual(['vault-agent-init']);
    expect(spec.containers.map((c) => c['name'])).toEqual(['web', 'vault-agent']);
    expect(spec.volumes.map((v) => v['name'])).toContain('vault-secrets');
    expect(outcome.injectionType).toBe('init_and_sidecar');

    const config = agentConfigOf(result, 'vault-agent');
    expect(config).toMatchObject({
      mode: 'sidecar',
      vault: { address: 'https://vault.vault.svc:8200' },
      auth: { method: 'kubernetes', role: 'app', mountPath: 'auth/kubernetes', tokenPath: '/var/run/secrets/kubernetes.io/serviceaccount/token' },
    });
    expect(config.templates).toEqual([
      expect.objectContaining({
        name: 'db',
        destination: '/vault/secrets/db',
        engine: 'go',
        contents: '{{ with secret "secret/data/db" }}{{ range $k, $v := .Data }}{{ $k }}: {{ $v }}\n{{ end }}{{ end }}',
      }),
    ]);
    expect(agentConfigOf(result, 'vault-agent-init').mode).toBe('init');

    expect(admit(request(result))).toEqual({ kind: 'skip', reason: 'already-injected', warnings: [] });
  });

  it('gives init and sidecar configs that differ only in mode and revocation, each valid for the agent', () => {
    const pod = podWith(injectable({ 'agent-revoke-on-shutdown': 'true' }));
    const result = jsonpatch.applyPatch(structuredClone(pod), injected(admit(request(pod))).patch, true, false).newDocument as Json;
    const init = agentConfigOf(result, 'vault-agent-init');
    const sidecar = agentConfigOf(result, 'vault-agent');
    expect([init.mode, init.revokeOnShutdown, sidecar.mode, sidecar.revokeOnShutdown]).toEqual(['init', false, 'sidecar', true]);
    expect({ ...init, mode: 'sidecar', revokeOnShutdown: true }).toEqual(sidecar);
  });

  it('records the detected engine and keeps handlebars templates verbatim', () => {
    const template = '{{#with (secret "kv/data/db")}}{{Data.data.password}}{{/with}}';
    const pod = podWith(injectable({ 'agent-inject-template-db': template }));
    const outcome = injected(admit(request(pod)));
    const result = jsonpatch.applyPatch(structuredClone(pod), outcome.patch, true, false).newDocument as Json;
    expect(agentConfigOf(result, 'vault-agent').templates[0]).toMatchObject({ engine: 'handlebars', contents: template });
  });

  it('denies a custom Go template the agent cannot render yet, saying to use handlebars', () => {
    const outcome = admit(request(podWith(injectable({ 'agent-inject-template-db': '{{ with secret "kv/data/db" }}{{ .Data.data.password }}{{ end }}' }))));
    expect(outcome).toMatchObject({ kind: 'deny', reason: 'invalid-template' });
    expect(outcome.kind === 'deny' && outcome.message).toMatch(/agent-inject-template-db: go template not supported at line 1.*handlebars/);
  });

  it('passes unknown annotations back as warnings', () => {
    const outcome = injected(admit(request(podWith(injectable({ 'agent-inject-sidecar': 'true' })))));
    expect(outcome.warnings).toEqual([`${PREFIX}agent-inject-sidecar: is not an annotation this injector knows; check its spelling`]);
  });

  it('handles a pod with 200 KiB of annotations (vault-k8s breaks above 128 KiB)', () => {
    const many: Record<string, string> = {};
    for (let i = 0; i < 100; i++) {
      many[`agent-inject-template-s${i}`] = `{{#with (secret "kv/data/s${i}")}}${'{{Data.data.value}}\n'.repeat(110)}{{/with}}`;
    }
    const pod = podWith(injectable(many));
    expect(JSON.stringify(pod).length).toBeGreaterThan(200 * 1024);
    const outcome = injected(admit(request(pod)));
    const result = jsonpatch.applyPatch(structuredClone(pod), outcome.patch, true, false).newDocument as Json;
    expect(agentConfigOf(result, 'vault-agent').templates).toHaveLength(101);
  });
});
