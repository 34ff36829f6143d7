import type { Operation } from 'fast-json-patch';
import { describe, expect, it } from 'vitest';
import type { Admit, AdmissionOutcome, AdmissionRequest } from '../../../../webhook/admission-types.js';
import { DENIAL_STATUS, patchJson, MAX_WARNING_CHARS, MAX_WARNINGS_TOTAL_CHARS, serializeAdmissionReview, shapeAdmissionResponse, shapeWarnings, type AdmissionAnswer } from '../../../../webhook/server/admission-response.js';
import { INTERNAL_ERROR_MESSAGE } from '../../../../webhook/server/mutate-route.js';
import { aPod, aTestApp, anAdmissionReview, decodedPatch, outcome, postReview, V1, V1BETA1 } from './builders.js';

async function answer(admit: Admit, review: unknown = anAdmissionReview()) {
  const { app } = await aTestApp(admit);
  const res = await postReview(app, review);
  await app.close();
  expect(res.statusCode).toBe(200);
  return res.json();
}

const patch = [
  { op: 'add' as const, path: '/spec/initContainers', value: [{ name: 'vault-agent-init', image: 'agent' }] },
  { op: 'add' as const, path: '/metadata/annotations/vault.hashicorp.com~1agent-inject-status', value: 'injected' },
];

describe('AdmissionReview responses', () => {
  it.each([
    [V1, V1],
    [V1BETA1, V1BETA1],
    ['admission.k8s.io/v2', V1],
    [undefined, V1],
  ])('answers a review of apiVersion %s in %s, kind AdmissionReview, without the request', async (asked, answered) => {
    const review = anAdmissionReview();
    if (asked === undefined) delete review['apiVersion'];
    else review['apiVersion'] = asked;
    const body = await answer(() => outcome.skip(), review);
    expect(body.apiVersion).toBe(answered);
    expect(body.kind).toBe('AdmissionReview');
    expect(body.request).toBeUndefined();
  });

  it('echoes the request UID in every kind of answer', async () => {
    const uid = '705ab4f5-6393-11e8-b7cc-42010a800002';
    for (const decision of [outcome.inject(patch), outcome.skip(), outcome.deny('invalid-annotations', 'bad')]) {
      expect((await answer(() => decision, anAdmissionReview({ uid }))).response.uid).toBe(uid);
    }
  });

  it('passes the request fields to admit, and the pod object untouched', async () => {
    const seen: AdmissionRequest[] = [];
    const pod = { ...aPod({ name: 'web' }), unknownField: { kept: [1, 2] } };
    await answer((request) => (seen.push(request), outcome.skip()), anAdmissionReview({ uid: 'u1', namespace: 'team-a', object: pod }));
    expect(seen).toEqual([
      {
        uid: 'u1',
        kind: { group: '', version: 'v1', kind: 'Pod' },
        resource: { group: '', version: 'v1', resource: 'pods' },
        namespace: 'team-a',
        operation: 'CREATE',
        object: pod,
        dryRun: false,
      },
    ]);
  });

  it('sends an injection as a base64 JSON Patch that decodes to the ops', async () => {
    const body = await answer(() => outcome.inject(patch));
    expect(body.response).toMatchObject({ allowed: true, patchType: 'JSONPatch' });
    expect(decodedPatch(body)).toEqual(patch);
  });

  it('omits patch and patchType when the patch is empty, and for skips', async () => {
    for (const decision of [outcome.inject([]), outcome.skip('already-injected')]) {
      const body = await answer(() => decision);
      expect(body.response).toEqual({ uid: expect.any(String), allowed: true });
    }
  });

  it('passes warnings through with allowed and denied answers', async () => {
    const warnings = ['vault.hashicorp.com/agent-foo: unknown annotation', 'vault.hashicorp.com/agent-cache-use-auto-auth-token: ignored'];
    expect((await answer(() => outcome.inject(patch, 'sidecar_only', warnings))).response.warnings).toEqual(warnings);
    expect((await answer(() => outcome.skip('no-annotation', warnings))).response.warnings).toEqual(warnings);
    expect((await answer(() => outcome.deny('invalid-annotations', 'x', warnings))).response.warnings).toEqual(warnings);
  });

  it('denies with allowed:false and a 400 Failure status carrying the message', async () => {
    const message = 'vault.hashicorp.com/agent-run-as-user: expected a non-negative integer\nvault.hashicorp.com/role: required';
    const body = await answer(() => outcome.deny('invalid-annotations', message));
    expect(body.response).toEqual({
      uid: expect.any(String),
      allowed: false,
      status: { status: 'Failure', code: 400, reason: 'BadRequest', message },
    });
  });

  it('refuses a system namespace with 403 Forbidden', async () => {
    const body = await answer(() => outcome.deny('system-namespace', 'cannot inject into system namespaces: kube-system'));
    expect(body.response.status).toMatchObject({ code: 403, reason: 'Forbidden' });
  });

  it('never sends a denial without a message', async () => {
    const body = await answer(() => outcome.deny('invalid-pod', '  '));
    expect(body.response.status.message).toBe('denied by the vault-injector webhook');
  });

  it('denies (HTTP 200, code 500) when admit throws, instead of failing the request', async () => {
    const body = await answer(() => {
      throw new Error('boom');
    });
    expect(body.response).toEqual({
      uid: expect.any(String),
      allowed: false,
      status: { status: 'Failure', code: 500, reason: 'InternalError', message: INTERNAL_ERROR_MESSAGE },
    });
  });

  it.each([
    ['an unknown kind', { kind: 'maybe', warnings: [] }],
    ['warnings that are not strings', { kind: 'skip', reason: 'disabled', warnings: [1] }],
    ['an inject without patch', { kind: 'inject', injectionType: 'init_only', warnings: [] }],
    ['a patch that cannot be serialized', { kind: 'inject', patch: [{ op: 'add', path: '/x', value: 1n }], injectionType: 'init_only', warnings: [] }],
    ['a deny with an unknown reason', { kind: 'deny', reason: 'because', message: 'm', warnings: [] }],
  ])('treats a malformed outcome from admit (%s) as an internal error', async (_what, bad) => {
    const body = await answer(() => bad as unknown as AdmissionOutcome);
    expect(body.response).toMatchObject({ allowed: false, status: { code: 500, message: INTERNAL_ERROR_MESSAGE } });
  });

  it('denies, echoing the UID, a review whose request fields have the wrong types', async () => {
    let called = false;
    const review = { apiVersion: V1BETA1, request: { uid: 'u2', namespace: ['a'], kind: 'Pod', dryRun: 'yes' } };
    const body = await answer(() => ((called = true), outcome.skip()), review);
    expect(called).toBe(false);
    expect(body.apiVersion).toBe(V1BETA1);
    expect(body.response.uid).toBe('u2');
    expect(body.response.allowed).toBe(false);
    expect(body.response.status.code).toBe(400);
    expect(body.response.status.message).toBe(
      'malformed AdmissionReview: "request.namespace" must be a string, not an array; "request.kind" must be an object, not a string; "request.dryRun" must be a boolean, not a string',
    );
  });
});

describe('shapeWarnings', () => {
  it('keeps short warnings as they are, in order, without duplicates', () => {
    expect(shapeWarnings(['b', 'a', 'b'])).toEqual(['b', 'a']);
  });

  it('turns control characters into spaces (warnings become HTTP headers)', () => {
    expect(shapeWarnings(['line one\nline two\t\u0007end'])).toEqual(['line one line two end']);
  });

  it(`cuts a warning over ${MAX_WARNING_CHARS} characters with a visible ellipsis`, () => {
    const [shaped] = shapeWarnings(['w'.repeat(1000)]);
    expect(shaped).toHaveLength(MAX_WARNING_CHARS);
    expect(shaped!.endsWith('…')).toBe(true);
  });

  it(`stops before ${MAX_WARNINGS_TOTAL_CHARS} characters in total and says how many were left out`, () => {
    const many = Array.from({ length: 100 }, (_, i) => `${i}`.padStart(100, 'w'));
    const shaped = shapeWarnings(many);
    expect(shaped.join('').length).toBeLessThanOrEqual(MAX_WARNINGS_TOTAL_CHARS);
    expect(shaped.at(-1)).toBe(`${100 - (shaped.length - 1)} more warning(s) omitted`);
  });
});

describe('serializeAdmissionReview', () => {
  const answers: [string, AdmissionAnswer][] = [
    ['a patch', { kind: 'patch', patch, warnings: [] }],
    ['a patch with warnings that quote JSON', { kind: 'patch', patch, warnings: ['"patch":"" \\" \n', 'second'] }],
    ['an empty patch', { kind: 'patch', patch: [], warnings: ['w'] }],
    ['an allow', { kind: 'allow', warnings: [] }],
    ['a denial', { kind: 'deny', status: DENIAL_STATUS['invalid-annotations'], message: 'vault.hashicorp.com/role: "x"', warnings: ['w'] }],
  ];
  it.each(answers)('writes exactly what JSON.stringify writes for %s, in both versions', (_name, answerToShape) => {
    for (const version of [V1, V1BETA1] as const) {
      for (const uid of ['705ab4f5-6393-11e8-b7cc-42010a800002', 'quote"and\\backslash', '']) {
        const review = shapeAdmissionResponse(version, uid, answerToShape);
        expect(serializeAdmissionReview(review)).toBe(JSON.stringify(review));
      }
    }
  });
});

describe('patchJson', () => {
  const longText = 'x"\n'.repeat(400);
  const container = (name: string) => ({ name, image: 'agent', env: [{ name: 'A', value: 'short' }, { name: 'CONFIG', value: longText }, { name: 'B', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } }], resources: {} });
  const patches: [string, Operation[]][] = [
    ['no containers', patch],
    ['a container added', [{ op: 'add', path: '/spec/containers/-', value: container('vault-agent') }]],
    ['a list of containers', [{ op: 'add', path: '/spec/initContainers', value: [container('vault-agent-init'), { name: 'plain' }] }, ...patch]],
    ['a container with only env', [{ op: 'add', path: '/spec/containers/0', value: { env: [{ name: 'X', value: longText }] } }]],
    ['env vars of other shapes', [{ op: 'add', path: '/spec/containers/-', value: { name: 'c', env: [{ value: longText, name: 'reordered' }, { name: 'N', value: longText, extra: 1 }, 'odd', null] } }]],
  ];
  it.each(patches)('writes the same JSON document as JSON.stringify for %s, again from the cache', (_name, ops) => {
    for (let round = 0; round < 2; round++) expect(JSON.parse(patchJson(ops))).toEqual(JSON.parse(JSON.stringify(ops)));
  });
});
