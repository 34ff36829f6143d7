/**
 * `POST /mutate`: AdmissionReview in, AdmissionReview out. Reads the review, asks `admit`, counts
 * and logs the decision, and answers through `shapeAdmissionResponse`. Requests that are not a
 * usable review are thrown as TransportErrors and answered by the app's error handler.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { Admit, AdmissionOutcome, AdmissionRequest } from '../admission-types.js';
import { DENIAL_STATUS, serializeAdmissionReview, shapeAdmissionResponse, type AdmissionAnswer, type AdmissionReviewResponse } from './admission-response.js';
import { describeRequest, logAdmitFailure, logMalformedRequest, logOutcome } from './decision-log.js';
import { readAdmissionReview, type AdmissionApiVersion } from './read-admission-review.js';
import { emptyBodyError } from './transport-errors.js';
import type { RequestOutcome, WebhookMetrics } from './webhook-metrics.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** How a /mutate request ended, for the duration histogram. */
    admissionOutcome: RequestOutcome;
  }
}

export const MUTATE_PATH = '/mutate';
const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * Shown to the requester when `admit` throws. The pod is denied rather than answered with HTTP
 * 500: under `failurePolicy: Ignore` a 500 would create the pod without its agent, silently, and
 * the app would start without its secrets; a denial is visible and the controller retries.
 */
export const INTERNAL_ERROR_MESSAGE = 'the vault-injector webhook failed while processing this pod; see the webhook logs for the request UID';

export interface MutateRouteOptions {
  admit: Admit;
  logger: Logger;
  metrics: WebhookMetrics;
}

export function registerMutateRoute(app: FastifyInstance, options: MutateRouteOptions): void {
  const { admit, logger, metrics } = options;
  app.decorateRequest('admissionOutcome', 'invalid');

  app.post(MUTATE_PATH, {
    onRequest(request, reply, done) {
      metrics.requestsInFlight.inc();
      const endTimer = metrics.requestDuration.startTimer();
      // 'close' fires once the response is sent or the connection dropped, so the gauge never leaks.
      reply.raw.once('close', () => {
        metrics.requestsInFlight.dec();
        endTimer({ outcome: request.admissionOutcome });
      });
      done();
    },
    handler(request: FastifyRequest, reply: FastifyReply) {
      // No body at all (no content type either); a JSON `null` body is read as a wrong type below.
      if (request.body === undefined) throw emptyBodyError();
      const review = readAdmissionReview(request.body);
      if (review.ok) return reply.type(JSON_TYPE).send(serializeAdmissionReview(decide(review.apiVersion, review.request, request, reply)));
      request.admissionOutcome = 'deny';
      metrics.failures.inc({ namespace: metrics.namespaceLabel(review.namespace), reason: 'malformed-request' });
      logMalformedRequest(logger, { uid: review.uid, namespace: review.namespace, durationMs: reply.elapsedTime }, review.problems.length);
      const message = `malformed AdmissionReview: ${review.problems.join('; ')}`;
      const answer: AdmissionAnswer = { kind: 'deny', status: DENIAL_STATUS['malformed-request'], message, warnings: [] };
      return reply.send(shapeAdmissionResponse(review.apiVersion, review.uid, answer));
    },
  });

  function decide(
    apiVersion: AdmissionApiVersion,
    admissionRequest: AdmissionRequest,
    request: FastifyRequest,
    reply: FastifyReply,
  ): AdmissionReviewResponse {
    const namespace = metrics.namespaceLabel(admissionRequest.namespace);
    try {
      const outcome = admit(admissionRequest);
      // Shaping stays inside the guard: a malformed outcome (a bug in admit) is an internal error.
      const response = shapeAdmissionResponse(apiVersion, admissionRequest.uid, toAnswer(outcome));
      request.admissionOutcome = outcome.kind;
      countOutcome(outcome, namespace);
      logOutcome(logger, admissionRequest, reply.elapsedTime, outcome);
      return response;
    } catch (error) {
      request.admissionOutcome = 'error';
      metrics.failures.inc({ namespace, reason: 'internal-error' });
      logAdmitFailure(logger, describeRequest(admissionRequest, reply.elapsedTime), error);
      const answer: AdmissionAnswer = { kind: 'deny', status: DENIAL_STATUS['internal-error'], message: INTERNAL_ERROR_MESSAGE, warnings: [] };
      return shapeAdmissionResponse(apiVersion, admissionRequest.uid, answer);
    }
  }

  function countOutcome(outcome: AdmissionOutcome, namespace: string): void {
    if (outcome.kind === 'inject') metrics.injections.inc({ namespace, injection_type: outcome.injectionType });
    else if (outcome.kind === 'skip') metrics.skips.inc({ namespace, reason: outcome.reason });
    else metrics.failures.inc({ namespace, reason: outcome.reason });
  }
}

/** Checks the outcome's shape (a bug in `admit` must not become a crash here) and maps it. */
function toAnswer(outcome: AdmissionOutcome): AdmissionAnswer {
  const warnings = outcome.warnings;
  if (!Array.isArray(warnings) || !warnings.every((w) => typeof w === 'string')) throw new TypeError('admit returned warnings that are not strings');
  switch (outcome.kind) {
    case 'inject':
      if (!Array.isArray(outcome.patch)) throw new TypeError('admit returned an inject outcome without a patch array');
      return { kind: 'patch', patch: outcome.patch, warnings };
    case 'skip':
      return { kind: 'allow', warnings };
    case 'deny': {
      const status = DENIAL_STATUS[outcome.reason];
      if (status === undefined || typeof outcome.message !== 'string') throw new TypeError('admit returned a malformed deny outcome');
      return { kind: 'deny', status, message: outcome.message, warnings };
    }
    default:
      throw new TypeError('admit returned an unknown outcome kind');
  }
}
