// Property tests of the HTTP layer with generated AdmissionReview envelopes (valid and broken),
// first around outcomes of every kind (and throws) from a stand-in admit, then around the real
// admit with pods carrying generated vault.hashicorp.com/ annotations: never a 5xx, never an
// unhandled rejection, every denial carries a message, every 200 echoes the UID.
import fc from 'fast-check';
import jsonpatch, { type Operation } from 'fast-json-patch';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogEntries, familyPrefix } from '../../../contract/annotations/index.js';
import type { Admit, AdmissionOutcome } from '../../../webhook/admission-types.js';
import { createAdmit } from '../../../webhook/admit.js';
import { resolveInjectorConfig } from '../../../webhook/injector-config.js';
import { buildApp } from '../../../webhook/server/build-app.js';
import { createWebhookMetrics } from '../../../webhook/server/webhook-metrics.js';

const PREFIX = 'vault.hashicorp.com/';
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
beforeAll(() => void process.on('unhandledRejection', onUnhandled));
afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
  expect(unhandled).toEqual([]);
});

// --- generated values -----------------------------------------------------------------------

/** Sometimes huge: long strings cost nothing to build with repeat(). */
const hugeString = fc.integer({ min: 10_000, max: 200_000 }).map((n) => 'x'.repeat(n));
const anyString = fc.oneof({ weight: 8, arbitrary: fc.string({ maxLength: 40 }) }, { weight: 1, arbitrary: hugeString });
const anyJson = fc.oneof(fc.jsonValue({ maxDepth: 3 }), anyString);
/** A property that may be missing, have the right shape, or a wrong type. */
const maybe = <T>(good: fc.Arbitrary<T>) => fc.oneof({ weight: 16, arbitrary: good }, { weight: 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: anyJson });
/** Mostly the usual value, sometimes an unusual one. */
const usually = <T, U>(usual: T, unusual: fc.Arbitrary<U>) => fc.oneof({ weight: 6, arbitrary: fc.constant(usual) }, { weight: 1, arbitrary: unusual });

const annotationKey = fc.oneof(
  fc.constantFrom(...catalogEntries.filter((e) => e.form === 'plain').map((e) => e.key)),
  fc.tuple(fc.constantFrom(...catalogEntries.filter((e) => e.form !== 'plain').map((e) => familyPrefix(e))), fc.string({ maxLength: 12 })).map(([p, n]) => p + n),
  fc.string({ maxLength: 20 }),
);
const annotationValue = fc.oneof(
  fc.constantFrom('', 'true', 'false', 'yes', '0', '-1', '5s', '250m', '64Mi', '0600', '..', '/', '[]', 'null', '{', 'secret/data/db', '{{ with secret "a" }}{{ .Data }}{{ end }}', '{{#if x}}y{{/if}}', '{{ oops'),
  fc.string({ maxLength: 30 }),
  fc.json({ maxDepth: 2 }),
  hugeString,
);
const switchValue = fc.oneof({ weight: 6, arbitrary: fc.constant('true') }, { weight: 1, arbitrary: fc.constantFrom('false', 'maybe', undefined) });
const annotations = fc
  .tuple(
    // Random values rarely suit their key, so many pods get none or few on top of the base.
    fc.oneof({ weight: 2, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: fc.dictionary(annotationKey, annotationValue, { maxKeys: 2 }) }, { weight: 2, arbitrary: fc.dictionary(annotationKey, annotationValue, { maxKeys: 8 }) }),
    switchValue,
    usually(true, fc.constant(false)),
  )
  .map(([short, inject, injectable]) => {
    // Half the pods start from a set that injects, so generated keys land on a working base.
    const base: Record<string, string> = injectable ? { role: 'app', 'agent-inject-secret-db': 'secret/data/db' } : {};
    const map: Record<string, string> = Object.fromEntries(Object.entries({ ...base, ...short }).map(([k, v]) => [PREFIX + k, v]));
    if (inject !== undefined) map[`${PREFIX}agent-inject`] = inject;
    return map;
  });

const container = fc.record({
  name: usually('app', fc.constantFrom('web', 'vault-agent', 'vault-agent-init')),
  image: fc.constant('nginx'),
  env: fc.array(fc.record({ name: fc.constantFrom('A', 'B', 'PASSWORD'), value: anyString }), { maxLength: 3 }),
  volumeMounts: usually([{ name: 'kube-api-access-x', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true }], fc.constantFrom(undefined, [])),
});
const pod = fc.record({
  apiVersion: fc.constant('v1'),
  kind: fc.constant('Pod'),
  metadata: maybe(fc.record({ generateName: fc.constant('web-'), annotations: maybe(annotations) })),
  spec: maybe(
    fc.record({
      containers: maybe(fc.array(container, { minLength: 1, maxLength: 3 })),
      initContainers: fc.constantFrom(undefined, [], [{ name: 'init', image: 'busybox' }]),
      volumes: usually([{ name: 'kube-api-access-x', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } }], fc.constantFrom(undefined, [])),
      automountServiceAccountToken: usually(undefined, fc.boolean()),
    }),
  ),
  status: usually(undefined, fc.constantFrom({}, { phase: 'Pending' }, { phase: 'Running' })),
});

const request = fc.record(
  {
    uid: fc.oneof({ weight: 16, arbitrary: fc.uuid() }, { weight: 1, arbitrary: anyJson }, { weight: 1, arbitrary: fc.constant(undefined) }),
    kind: maybe(usually({ group: '', version: 'v1', kind: 'Pod' }, fc.constant({ group: 'apps', version: 'v1', kind: 'Deployment' }))),
    namespace: maybe(usually('apps', fc.constantFrom('default', 'kube-system', 'kube-public', 'team-a'))),
    operation: maybe(usually('CREATE', fc.constantFrom('UPDATE', 'DELETE', 'CONNECT'))),
    object: fc.oneof({ weight: 16, arbitrary: pod }, { weight: 1, arbitrary: anyJson }, { weight: 1, arbitrary: fc.constant(undefined) }),
    dryRun: maybe(fc.boolean()),
  },
  // Optional fields come and go; uid and object are usually there (undefined drops them).
  { requiredKeys: ['uid', 'object'] },
);
const envelope = fc.record(
  {
    apiVersion: fc.oneof(fc.constantFrom('admission.k8s.io/v1', 'admission.k8s.io/v1beta1', 'admission.k8s.io/v2', 'v1', ''), anyJson),
    kind: fc.oneof(fc.constant('AdmissionReview'), anyJson),
    request: fc.oneof({ weight: 16, arbitrary: request }, { weight: 1, arbitrary: anyJson }, { weight: 1, arbitrary: fc.constant(undefined) }),
  },
  { requiredKeys: ['request'] },
);

/** The bytes on the wire: mostly the envelope as JSON, sometimes random or cut-off text. */
const body = fc.oneof(
  { weight: 10, arbitrary: envelope.map((e) => JSON.stringify(e)) },
  { weight: 1, arbitrary: fc.string({ maxLength: 50 }) },
  { weight: 1, arbitrary: fc.tuple(envelope, fc.nat()).map(([e, cut]) => JSON.stringify(e).slice(0, cut % 2000)) },
);
const contentType = fc.oneof({ weight: 10, arbitrary: fc.constant('application/json') }, { weight: 1, arbitrary: fc.constantFrom('application/json; charset=utf-8', 'text/plain', '', 'application/xml') });

// --- the checks -------------------------------------------------------------------------------

async function checkOne(app: FastifyInstance, text: string, type: string, patchMustApply: boolean): Promise<void> {
  const res = await app.inject({ method: 'POST', url: '/mutate?timeout=10s', headers: type ? { 'content-type': type } : {}, payload: text });
  expect(res.statusCode).toBeLessThan(500);
  const answer = res.json();
  if (res.statusCode !== 200) {
    expect(answer).toEqual({ code: expect.stringMatching(/^WEBHOOK_/), message: expect.any(String) });
    return;
  }
  // A 200 means the text was a review with a UID.
  const sent = JSON.parse(text) as { request: { uid: string; object: unknown } };
  const uid = sent.request.uid;
  expect(answer.kind).toBe('AdmissionReview');
  expect(answer.response.uid).toBe(uid);
  if (answer.response.allowed === false) expect(answer.response.status.message.trim()).not.toBe('');
  if (answer.response.patch !== undefined) {
    const ops = JSON.parse(Buffer.from(answer.response.patch, 'base64').toString('utf8')) as Operation[];
    expect(Array.isArray(ops) && ops.length > 0).toBe(true);
    // A real patch must apply to the pod it was computed from.
    if (patchMustApply) jsonpatch.applyPatch(structuredClone(sent.request.object), ops, true, false);
  }
}

function appWith(admit: Admit): FastifyInstance {
  return buildApp({ admit, logger: pino({ level: 'silent' }), metrics: createWebhookMetrics({ processMetrics: false }), telemetryPath: undefined });
}

describe('POST /mutate on generated input', () => {
  it('answers every envelope (6,000 cases) with a 4xx or a UID-echoing 200, whatever a stand-in admit returns or throws', async () => {
    const outcomes: (AdmissionOutcome | Error)[] = [
      { kind: 'inject', patch: [{ op: 'add', path: '/metadata/labels', value: { a: 'b' } }], injectionType: 'sidecar_only', warnings: ['w'] },
      { kind: 'inject', patch: [], injectionType: 'none', warnings: [] },
      { kind: 'skip', reason: 'no-annotation', warnings: [] },
      { kind: 'deny', reason: 'invalid-annotations', message: 'vault.hashicorp.com/role: required', warnings: ['x'.repeat(300)] },
      { kind: 'deny', reason: 'invalid-pod', message: '', warnings: [] },
      new Error('admit bug'),
    ];
    let next = 0;
    const app = appWith(() => {
      const chosen = outcomes[next++ % outcomes.length]!;
      if (chosen instanceof Error) throw chosen;
      return chosen;
    });
    await fc.assert(fc.asyncProperty(body, contentType, (sent, type) => checkOne(app, sent, type, false)), { numRuns: 6_000 });
    await app.close();
  }, 120_000);

  it('answers every envelope (6,000 cases) through the real admit with generated vault.hashicorp.com/ annotations', async () => {
    const resolved = resolveInjectorConfig({ 'vault-address': 'https://vault.vault.svc:8200', 'tls-cert-file': 'c', 'tls-key-file': 'k' }, {});
    if (!resolved.ok) throw new Error(resolved.errors.join('; '));
    const realAdmit = createAdmit(resolved.config);
    const seen: Record<string, number> = { inject: 0, skip: 0, deny: 0, thrown: 0 };
    const thrown: string[] = [];
    const app = appWith((request) => {
      try {
        const decision = realAdmit(request);
        seen[decision.kind]! += 1;
        return decision;
      } catch (error) {
        seen['thrown']! += 1;
        thrown.push(`${(error as Error).stack}\nrequest: ${JSON.stringify(request).slice(0, 2_000)}`);
        throw error;
      }
    });
    await fc.assert(fc.asyncProperty(body, contentType, (sent, type) => checkOne(app, sent, type, true)), { numRuns: 6_000 });
    await app.close();
    // admit promises never to throw on user input, and the generator must reach every outcome.
    expect(thrown.slice(0, 3)).toEqual([]);
    console.info(`real admit outcomes over 6,000 generated requests: ${JSON.stringify(seen)}`);
    expect(seen['inject']).toBeGreaterThan(300);
    expect(seen['deny']).toBeGreaterThan(300);
    expect(seen['skip']).toBeGreaterThan(300);
  }, 300_000);
});
