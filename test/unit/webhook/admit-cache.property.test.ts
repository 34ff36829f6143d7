// The admit function remembers what each annotation set decides (parsed spec, checked templates,
// built agent configs) and reuses it for every pod with the same annotations. These properties
// check that remembering changes nothing: through one long-lived admit, pods that share
// annotation sets but differ in everything else get exactly the outcome a fresh, uncached
// decision gives, in any order, and changing a returned patch or pod never leaks into the next.
import fc from 'fast-check';
import jsonpatch from 'fast-json-patch';
import { describe, expect, it } from 'vitest';
import type { AdmissionRequest } from '../../../webhook/admission-types.js';
import { admit as admitUncached, createAdmit, type AdmitConfig } from '../../../webhook/admit.js';
import { annotations, injectable, PREFIX } from '../../builders/annotations.js';

const config: AdmitConfig = { annotationPrefix: PREFIX, injectorDefaults: {}, vaultCaCertPem: undefined };

type Json = Record<string, unknown>;

/** Annotation sets of a few workloads: injecting ones of several layouts, and denied ones. */
const ANNOTATION_SETS: Record<string, string>[] = [
  injectable(),
  // Same names and value lengths as the first, other values: must not be taken for it.
  injectable({ 'agent-inject-secret-db': 'secret/data/ab' }),
  injectable({ 'agent-inject-template-db': '{{#with (secret "secret/data/db")}}user={{Data.data.user}}{{/with}}', 'agent-inject-secret-api': 'kv/api' }),
  injectable({ 'agent-pre-populate-only': 'true', 'agent-inject-token': 'true' }),
  injectable({ 'agent-init-first': 'true', 'agent-run-as-same': 'true' }),
  injectable({ 'agent-native-sidecar': 'true', 'agent-inject-containers': 'web' }),
  injectable({ 'agent-service-account-token-volume-name': 'vault-token' }),
  injectable({ 'agent-copy-volume-mounts': 'web', 'agent-limits-mem': '64Mi', 'agent-requests-mem': '32Mi' }),
  injectable({ 'agent-run-as-user': 'abc', 'auth-min-backoff': '5 parsecs' }),
  injectable({ 'agent-inject-template-db': '{{#with x}}{{/wrong}}' }),
  annotations({ 'agent-inject': 'true', role: 'app', 'agent-inject-secret-db': 'secret/data/db', 'unknown-thing': 'x' }),
];

const container = fc.record({
  name: fc.constantFrom('web', 'worker', 'proxy', 'vault-agent'),
  runAsUser: fc.option(fc.constantFrom(0, 1000, 2000), { nil: undefined }),
  mounts: fc.boolean(),
});

const podShape = fc.record({
  set: fc.nat({ max: ANNOTATION_SETS.length - 1 }),
  containers: fc.uniqueArray(container, { minLength: 1, maxLength: 3, selector: (c) => c.name }),
  initContainers: fc.uniqueArray(container, { maxLength: 2, selector: (c) => c.name }),
  token: fc.constantFrom('projected', 'named-volume', 'none', 'automount-off'),
  namespace: fc.constantFrom('app', 'team-b', 'kube-system'),
  name: fc.string({ minLength: 1, maxLength: 10 }),
});

function podFrom(shape: PodShape): Json {
  const tokenMount = { name: 'kube-api-access-x1', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true };
  const asContainer = (c: { name: string; runAsUser: number | undefined; mounts: boolean }, prefix: string): Json => ({
    name: prefix + c.name,
    image: `registry.example.com/${c.name}:1`,
    ...(c.runAsUser === undefined ? {} : { securityContext: { runAsUser: c.runAsUser } }),
    ...(c.mounts && shape.token === 'projected' ? { volumeMounts: [tokenMount] } : {}),
    ...(c.mounts && shape.token === 'named-volume' ? { volumeMounts: [{ name: 'vault-token', mountPath: '/var/run/secrets/vault', readOnly: true }] } : {}),
  });
  const volumes =
    shape.token === 'projected'
      ? [{ name: 'kube-api-access-x1', projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3607 } }] } }]
      : shape.token === 'named-volume'
        ? [{ name: 'vault-token', projected: { sources: [{ serviceAccountToken: { path: 'token', audience: 'vault' } }] } }]
        : [];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: shape.name, namespace: shape.namespace, annotations: { ...ANNOTATION_SETS[shape.set]! } },
    spec: {
      containers: shape.containers.map((c) => asContainer(c, '')),
      ...(shape.initContainers.length > 0 ? { initContainers: shape.initContainers.map((c) => asContainer(c, 'init-')) } : {}),
      ...(volumes.length > 0 ? { volumes } : {}),
      ...(shape.token === 'automount-off' ? { automountServiceAccountToken: false } : {}),
    },
  };
}

type PodShape = typeof podShape extends fc.Arbitrary<infer T> ? T : never;

function request(object: Json, namespace: string, uid: string): AdmissionRequest {
  return { uid, operation: 'CREATE', kind: { group: '', version: 'v1', kind: 'Pod' }, namespace, object };
}

describe('the admit function with its workload cache', () => {
  it('decides every pod exactly as an uncached decision does (300 sequences of 12 pods)', () => {
    fc.assert(
      fc.property(fc.array(podShape, { minLength: 1, maxLength: 12 }), (shapes) => {
        const cached = createAdmit(config);
        const outcomes = new Set<string>();
        shapes.forEach((shape, index) => {
          const pod = podFrom(shape);
          const expected = admitUncached(request(structuredClone(pod), shape.namespace, `u-${index}`), config);
          const actual = cached(request(pod, shape.namespace, `u-${index}`));
          expect(actual).toEqual(expected);
          outcomes.add(actual.kind);
          // What a caller does with the result (apply the patch, edit the pod) never reaches the cache.
          if (actual.kind === 'inject') {
            const patched = jsonpatch.applyPatch(pod, actual.patch, false, true).newDocument as Json;
            for (const c of (patched['spec'] as { containers: Json[] }).containers) {
              for (const variable of (c['env'] as { value?: string }[] | undefined) ?? []) variable.value = 'changed';
              c['resources'] = 'changed';
            }
            actual.warnings.push('changed');
          }
        });
        return outcomes.size > 0;
      }),
      { numRuns: 300 },
    );
  }, 120_000);

  it('covers injections and both kinds of denial across the generated pods', () => {
    const cached = createAdmit(config);
    const kinds = new Set<string>();
    fc.assert(
      fc.property(podShape, (shape) => {
        const outcome = cached(request(podFrom(shape), shape.namespace, 'u'));
        kinds.add(outcome.kind === 'deny' ? `deny:${outcome.reason}` : outcome.kind);
      }),
      { numRuns: 500 },
    );
    expect([...kinds]).toEqual(expect.arrayContaining(['inject', 'deny:invalid-annotations', 'deny:invalid-template', 'deny:system-namespace', 'deny:pod-incompatible']));
  });
});
