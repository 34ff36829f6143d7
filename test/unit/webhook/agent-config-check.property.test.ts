// Every config the webhook hands to an agent carries the webhook's check, the check matches, and
// the config is exactly what validating it again gives: an agent that takes it as checked
// (contract/agent-config/config-check.ts) runs with the very config it would have validated.
import fc from 'fast-check';
import jsonpatch from 'fast-json-patch';
import { describe, expect, it } from 'vitest';
import { parseAgentConfig, readAgentConfigTextFromEnv } from '../../../contract/agent-config/index.js';
import { createAdmit } from '../../../webhook/admit.js';
import { annotations, PREFIX } from '../../builders/annotations.js';

const admit = createAdmit({ annotationPrefix: PREFIX, injectorDefaults: {}, vaultCaCertPem: undefined });

type Json = Record<string, unknown>;

const secretName = fc.constantFrom('db', 'api', 'Config.JSON', 'tls-cert', 'a');
const option = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

/** Annotation sets that mostly inject, across the settings that shape the agent's config. */
const annotationSets = fc
  .record({
    secrets: fc.uniqueArray(
      fc.record({
        name: secretName,
        path: fc.constantFrom('secret/data/app', 'kv/db', 'database/creds/app', 'pki/issue/web'),
        template: option(fc.constantFrom('{{ with secret "kv/app" }}{{ .Data | toJSON }}{{ end }}', '{{#with (secret "kv/app")}}{{Data.user}}{{/with}}', 'static text')),
        perms: option(fc.constantFrom('0400', '0640', '0600')),
        command: option(fc.constantFrom('pkill -HUP app', 'true')),
        file: option(fc.constantFrom('config.json', 'nested/dir/file.env')),
      }),
      { minLength: 1, maxLength: 4, selector: (s) => s.name.toLowerCase() },
    ),
    settings: fc.record({
      'agent-pre-populate-only': option(fc.constantFrom('true', 'false')),
      'agent-native-sidecar': option(fc.constantFrom('true', 'false')),
      'agent-inject-token': option(fc.constantFrom('true', 'false')),
      'agent-revoke-on-shutdown': option(fc.constantFrom('true', 'false')),
      'template-static-secret-render-interval': option(fc.constantFrom('30s', '5m', '1h')),
      'agent-inject-default-template': option(fc.constantFrom('map', 'json')),
      'auth-path': option(fc.constantFrom('auth/kubernetes', 'auth/cluster-b')),
      'auth-min-backoff': option(fc.constantFrom('1s', '2s')),
      'agent-enable-quit': option(fc.constantFrom('true', 'false')),
      'agent-telemetry-prometheus_retention_time': option(fc.constant('30s')),
      namespace: option(fc.constantFrom('team-a', 'team-b/child')),
      'log-level': option(fc.constantFrom('debug', 'info', 'warn')),
      'log-format': option(fc.constantFrom('json', 'standard')),
      'tls-skip-verify': option(fc.constantFrom('true', 'false')),
      'proxy-address': option(fc.constant('http://proxy.example:3128')),
    }),
  })
  .map(({ secrets, settings }) => {
    const short: Record<string, string> = { 'agent-inject': 'true', role: 'app', service: 'https://vault.vault.svc:8200' };
    for (const secret of secrets) {
      short[`agent-inject-secret-${secret.name}`] = secret.path;
      if (secret.template !== undefined) short[`agent-inject-template-${secret.name}`] = secret.template;
      if (secret.perms !== undefined) short[`agent-inject-perms-${secret.name}`] = secret.perms;
      if (secret.command !== undefined) short[`agent-inject-command-${secret.name}`] = secret.command;
      if (secret.file !== undefined) short[`agent-inject-file-${secret.name}`] = `${secret.name.toLowerCase()}-${secret.file}`;
    }
    for (const [key, value] of Object.entries(settings)) if (value !== undefined) short[key] = value;
    return annotations(short);
  });

function podWith(podAnnotations: Record<string, string>): Json {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-1', namespace: 'app', annotations: podAnnotations },
    spec: {
      containers: [{ name: 'web', image: 'nginx', volumeMounts: [{ name: 'kube-api-access-x1', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true }] }],
      volumes: [{ name: 'kube-api-access-x1', projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3607 } }] } }],
    },
  };
}

describe('the configs the webhook hands to agents', () => {
  it('carry a matching check, and validating one again gives it back unchanged', () => {
    let agents = 0;
    fc.assert(
      fc.property(annotationSets, (podAnnotations) => {
        const pod = podWith(podAnnotations);
        const outcome = admit({ uid: 'u-1', operation: 'CREATE', kind: { group: '', version: 'v1', kind: 'Pod' }, namespace: 'app', object: pod });
        if (outcome.kind !== 'inject') return;
        const patched = jsonpatch.applyPatch(structuredClone(pod), outcome.patch, true, false).newDocument as { spec: { containers: Json[]; initContainers?: Json[] } };
        for (const container of [...patched.spec.containers, ...(patched.spec.initContainers ?? [])]) {
          if (!String(container['name']).startsWith('vault-agent')) continue;
          agents++;
          const env = Object.fromEntries((container['env'] as { name: string; value?: string }[]).map((e) => [e.name, e.value]));
          const text = readAgentConfigTextFromEnv(env);
          if (!text.ok) throw new Error(JSON.stringify(text.errors));
          expect(text.checked).toBe(true);
          const asHanded = JSON.parse(text.json) as unknown;
          const again = parseAgentConfig(asHanded, { jitless: true });
          expect(again.ok && again.config).toEqual(asHanded);
        }
      }),
      { numRuns: 400 },
    );
    // Not vacuous: the generated pods are injected, most with two agents.
    expect(agents).toBeGreaterThan(400);
  });
});
