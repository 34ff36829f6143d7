import { describe, expect, it } from 'vitest';
import type { Admit } from '../../../../webhook/admission-types.js';
import { createWebhookMetrics } from '../../../../webhook/server/webhook-metrics.js';
import { aPod, aTestApp, anAdmissionReview, outcome, postReview } from './builders.js';

const CANARY_ANNOTATION = 'canary-annotation-value-7f3a9c';
const CANARY_ENV = 'canary-env-value-51b2e8';
const CANARY_PATCH = 'canary-patch-value-0d44aa';
const CANARY_WARNING = 'canary-warning-text-9e1f00';
const CANARY_MESSAGE = 'canary-denial-text-c0ffee';

/** A pod carrying canaries in an annotation value and an env value. */
function canaryReview(namespace: string, uid: string) {
  const pod = aPod({
    generateName: 'web-7d9c-',
    annotations: {
      'vault.hashicorp.com/agent-inject': 'true',
      'vault.hashicorp.com/agent-inject-template-db': `{{ "${CANARY_ANNOTATION}" }}`,
      'vault.hashicorp.com/role': CANARY_ANNOTATION,
    },
    env: { DB_PASSWORD: CANARY_ENV },
  });
  return anAdmissionReview({ namespace, uid, object: pod });
}

describe('health endpoints', () => {
  it('answers 204 on /health/live and /health/ready when ready', async () => {
    const { app } = await aTestApp(() => outcome.skip());
    for (const url of ['/health/live', '/health/ready']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(204);
      expect(res.body).toBe('');
    }
  });

  it('answers 503 on /health/ready while not ready, and stays live', async () => {
    const { app } = await aTestApp(() => outcome.skip(), { isReady: () => false });
    expect((await app.inject({ method: 'GET', url: '/health/ready' })).statusCode).toBe(503);
    expect((await app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(204);
  });
});

describe('metrics', () => {
  it('counts injections, skips and failures by namespace and type or reason, with request durations', async () => {
    const decisions: Record<string, ReturnType<Admit>> = {
      a: outcome.inject([{ op: 'add', path: '/x', value: 1 }], 'init_and_sidecar'),
      b: outcome.skip('no-annotation'),
      c: outcome.deny('invalid-annotations', 'vault.hashicorp.com/role: required'),
    };
    const { app } = await aTestApp((request) => decisions[request.uid]!);
    await postReview(app, anAdmissionReview({ uid: 'a', namespace: 'team-a' }));
    await postReview(app, anAdmissionReview({ uid: 'a', namespace: 'team-a' }));
    await postReview(app, anAdmissionReview({ uid: 'b', namespace: 'team-b' }));
    await postReview(app, anAdmissionReview({ uid: 'c', namespace: 'team-c' }));
    const res = await app.inject({ method: 'GET', url: '/metrics' });
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toContain('vault_injector_webhook_injections_total{namespace="team-a",injection_type="init_and_sidecar"} 2');
    expect(res.body).toContain('vault_injector_webhook_skips_total{namespace="team-b",reason="no-annotation"} 1');
    expect(res.body).toContain('vault_injector_webhook_failures_total{namespace="team-c",reason="invalid-annotations"} 1');
    expect(res.body).toContain('vault_injector_webhook_request_duration_seconds_count{outcome="inject"} 2');
    expect(res.body).toContain('vault_injector_webhook_request_duration_seconds_bucket{le="0.0005",outcome="skip"}');
    expect(res.body).toContain('vault_injector_webhook_requests_in_flight 0');
  });

  it('counts an exception in admit as an internal-error failure', async () => {
    const { app } = await aTestApp(() => {
      throw new Error('bug');
    });
    await postReview(app, anAdmissionReview({ namespace: 'team-d' }));
    const res = await app.inject({ method: 'GET', url: '/metrics' });
    expect(res.body).toContain('vault_injector_webhook_failures_total{namespace="team-d",reason="internal-error"} 1');
    expect(res.body).toContain('vault_injector_webhook_request_duration_seconds_count{outcome="error"} 1');
  });

  it('serves no metrics route without a telemetry path', async () => {
    const { app } = await aTestApp(() => outcome.skip(), { telemetryPath: undefined });
    expect((await app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(404);
  });

  it('bounds the namespace label: invalid names and names past the cap are folded', () => {
    const metrics = createWebhookMetrics({ processMetrics: false, maxNamespaceLabels: 2 });
    expect(metrics.namespaceLabel('a')).toBe('a');
    expect(metrics.namespaceLabel('NOT a namespace')).toBe('_invalid');
    expect(metrics.namespaceLabel('x'.repeat(64))).toBe('_invalid');
    expect(metrics.namespaceLabel('b')).toBe('b');
    expect(metrics.namespaceLabel('c')).toBe('_other');
    expect(metrics.namespaceLabel('a')).toBe('a');
    expect(metrics.namespaceLabel(undefined)).toBe('');
  });
});

describe('logs', () => {
  it('logs metadata of every decision and never annotation values, env values, patches, warnings or messages', async () => {
    const decisions: Record<string, ReturnType<Admit>> = {
      inject: outcome.inject([{ op: 'add', path: '/metadata/labels/x', value: CANARY_PATCH }], 'sidecar_only', [CANARY_WARNING]),
      skip: outcome.skip('not-pending', [CANARY_WARNING]),
      deny: outcome.deny('invalid-annotations', `vault.hashicorp.com/role: bad ${CANARY_MESSAGE}`, [CANARY_WARNING]),
    };
    const testApp = await aTestApp((request) => {
      if (request.uid === 'throw') throw new SyntaxError(`Unexpected token in JSON: "${CANARY_ANNOTATION}"`);
      return decisions[request.uid]!;
    });
    for (const uid of ['inject', 'skip', 'deny', 'throw']) await postReview(testApp.app, canaryReview('team-a', uid));
    await postReview(testApp.app, { request: { uid: 'malformed', namespace: 7, object: { env: CANARY_ENV } } });

    const text = testApp.logText();
    for (const canary of [CANARY_ANNOTATION, CANARY_ENV, CANARY_PATCH, CANARY_WARNING, CANARY_MESSAGE]) expect(text).not.toContain(canary);

    const byUid = Object.fromEntries(testApp.logLines().map((line) => [line['uid'], line]));
    expect(byUid['inject']).toMatchObject({ level: 20, namespace: 'team-a', generateName: 'web-7d9c-', outcome: 'inject', injectionType: 'sidecar_only', patchOps: 1, warnings: 1, durationMs: expect.any(Number) });
    expect(byUid['skip']).toMatchObject({ level: 20, outcome: 'skip', reason: 'not-pending' });
    expect(byUid['deny']).toMatchObject({ level: 30, outcome: 'deny', reason: 'invalid-annotations', annotationKeys: ['vault.hashicorp.com/role'], msg: 'pod denied' });
    expect(byUid['throw']).toMatchObject({ level: 50, outcome: 'error', err: { type: 'SyntaxError', stack: expect.stringContaining('at ') } });
    expect(byUid['malformed']).toMatchObject({ level: 30, outcome: 'deny', reason: 'malformed-request', problems: 1 });
  });

  it('writes no per-request access log lines', async () => {
    const testApp = await aTestApp(() => outcome.skip());
    await testApp.app.inject({ method: 'GET', url: '/health/ready' });
    await postReview(testApp.app, 'not json');
    expect(testApp.logLines().filter((line) => (line['level'] as number) >= 30)).toEqual([]);
  });
});
