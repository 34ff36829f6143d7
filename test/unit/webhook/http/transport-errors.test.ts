import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { BODY_LIMIT_BYTES } from '../../../../webhook/server/build-app.js';
import { aTestApp, anAdmissionReview, outcome, postReview, type TestApp } from './builders.js';

let testApp: TestApp;
let app: FastifyInstance;
beforeAll(async () => {
  testApp = await aTestApp(() => outcome.skip());
  app = testApp.app;
});
afterAll(() => app.close());

const validReview = JSON.stringify(anAdmissionReview());

describe('POST /mutate with something that is not an AdmissionReview', () => {
  it.each([
    ['text/plain', 'unsupported content type "text/plain"'],
    ['application/x-www-form-urlencoded', 'unsupported content type "application/x-www-form-urlencoded"'],
    ['application/jsonx', 'unsupported content type "application/jsonx"'],
    ['application/json-patch+json', 'unsupported content type "application/json-patch+json"'],
  ])('answers 415 WEBHOOK_UNSUPPORTED_MEDIA_TYPE for content type %s', async (contentType, message) => {
    const res = await postReview(app, validReview, { 'content-type': contentType });
    expect(res.statusCode).toBe(415);
    expect(res.json()).toEqual({ code: 'WEBHOOK_UNSUPPORTED_MEDIA_TYPE', message: expect.stringContaining(message) });
  });

  it('answers 415 for a body without a content type', async () => {
    const res = await app.inject({ method: 'POST', url: '/mutate', payload: validReview, headers: { 'content-type': '' } });
    expect(res.statusCode).toBe(415);
    expect(res.json().message).toContain('no content type');
  });

  it.each(['application/json', 'application/json; charset=utf-8', 'Application/JSON;charset=UTF-8'])('accepts content type %s', async (contentType) => {
    const res = await postReview(app, validReview, { 'content-type': contentType });
    expect(res.statusCode).toBe(200);
  });

  it.each([
    ['an empty body', ''],
    ['a whitespace body', ' \n\t'],
  ])('answers 400 WEBHOOK_EMPTY_BODY for %s', async (_what, body) => {
    const res = await postReview(app, body);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ code: 'WEBHOOK_EMPTY_BODY', message: expect.stringContaining('request body is empty') });
  });

  it('answers 400 WEBHOOK_EMPTY_BODY for a POST without body or content type', async () => {
    const res = await app.inject({ method: 'POST', url: '/mutate' });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('WEBHOOK_EMPTY_BODY');
  });

  it.each(['{', '{"request": }', 'not json', '{"a":1}}'])('answers 400 WEBHOOK_INVALID_JSON for %j', async (body) => {
    const res = await postReview(app, body);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ code: 'WEBHOOK_INVALID_JSON', message: expect.stringContaining('request body is not valid JSON') });
  });

  it('answers 400 WEBHOOK_INVALID_JSON for a "__proto__" key anywhere', async () => {
    const res = await postReview(app, '{"request":{"uid":"u","object":{"metadata":{"__proto__":{"x":1}}}}}');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ code: 'WEBHOOK_INVALID_JSON', message: 'request body contains a forbidden "__proto__" key' });
  });

  it('answers 413 WEBHOOK_BODY_TOO_LARGE over the body limit, naming the limit', async () => {
    const res = await postReview(app, `{"pad":"${'x'.repeat(BODY_LIMIT_BYTES)}"}`);
    expect(res.statusCode).toBe(413);
    expect(res.json()).toEqual({ code: 'WEBHOOK_BODY_TOO_LARGE', message: 'request body is larger than the 8 MiB limit' });
  });

  it('accepts a review of several MiB (a pod near the etcd object limit plus oldObject)', async () => {
    const big = anAdmissionReview({ object: { metadata: { annotations: { a: 'x'.repeat(3 * 1024 * 1024) } } } });
    const res = await postReview(app, big);
    expect(res.statusCode).toBe(200);
  });

  it.each([
    ['a JSON array', '[]', 'request body must be a JSON object (an AdmissionReview), not an array'],
    ['JSON null', 'null', 'request body must be a JSON object (an AdmissionReview), not null'],
    ['a JSON string', '"review"', 'request body must be a JSON object (an AdmissionReview), not a string'],
    ['a review without request', '{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview"}', 'AdmissionReview has no "request"'],
    ['a null request', '{"request":null}', 'AdmissionReview has no "request"'],
    ['a string request', '{"request":"x"}', 'AdmissionReview "request" must be an object, not a string'],
    ['an array request', '{"request":[]}', 'AdmissionReview "request" must be an object, not an array'],
    ['a request without uid', '{"request":{"namespace":"a"}}', 'AdmissionReview "request.uid" must be a non-empty string, not missing'],
    ['an empty uid', '{"request":{"uid":""}}', 'AdmissionReview "request.uid" must be a non-empty string, not an empty string'],
    ['a numeric uid', '{"request":{"uid":42}}', 'AdmissionReview "request.uid" must be a non-empty string, not a number'],
  ])('answers 400 WEBHOOK_INVALID_REVIEW for %s', async (_what, body, message) => {
    const res = await postReview(app, body);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ code: 'WEBHOOK_INVALID_REVIEW', message });
  });

  it('answers 404 WEBHOOK_NOT_FOUND for other paths and methods', async () => {
    for (const [method, url] of [['GET', '/mutate'], ['POST', '/validate'], ['PUT', '/mutate']] as const) {
      const res = await app.inject({ method, url });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ code: 'WEBHOOK_NOT_FOUND', message: expect.stringContaining(`no route ${method} ${url}`) });
    }
  });

  it('answers 400 for a malformed URL', async () => {
    const res = await app.inject({ method: 'POST', url: '/%zz', payload: validReview, headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('WEBHOOK_BAD_REQUEST');
  });

  it('serves /mutate with a query string, as the API server sends it (?timeout=10s)', async () => {
    const res = await app.inject({ method: 'POST', url: '/mutate?timeout=10s', payload: validReview, headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(200);
    expect(res.json().response.allowed).toBe(true);
  });

  it('counts every rejected request by error code', async () => {
    const res = await app.inject({ method: 'GET', url: '/metrics' });
    expect(res.body).toMatch(/vault_injector_webhook_invalid_requests_total\{code="WEBHOOK_INVALID_REVIEW"\} 10/);
    expect(res.body).toMatch(/vault_injector_webhook_invalid_requests_total\{code="WEBHOOK_UNSUPPORTED_MEDIA_TYPE"\} 5/);
  });
});
