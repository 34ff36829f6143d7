/**
 * The webhook's fastify app, built apart from where it listens so tests drive it with
 * `app.inject()`. Routes: `POST /mutate`, `GET /health/ready`, `GET /health/live` and, when a
 * telemetry path is given, Prometheus metrics on the same (HTTPS) server.
 */
import type { ServerOptions as HttpsServerOptions } from 'node:https';
import { fastify, LogController, type FastifyInstance, type FastifyReply } from 'fastify';
import type { Logger } from 'pino';
import type { Admit } from '../admission-types.js';
import { MUTATE_PATH, registerMutateRoute } from './mutate-route.js';
import { parseJsonBody } from './parse-json-body.js';
import { clip, toTransportError, TransportError, TransportErrorCode } from './transport-errors.js';
import { createWebhookMetrics, type WebhookMetrics } from './webhook-metrics.js';

/**
 * An AdmissionReview carries the whole object being admitted, and on UPDATE `oldObject` too. A pod
 * can be as large as etcd allows an object to be (1.5 MiB by default), so a review can approach
 * 3 MiB before JSON escaping; fastify's default 1 MiB limit would reject large but valid pods.
 */
export const BODY_LIMIT_BYTES = 8 * 1024 * 1024;

/** The API server waits at most 30 s for a webhook (`timeoutSeconds` maximum). */
const REQUEST_TIMEOUT_MS = 30_000;

export interface BuildAppOptions {
  admit: Admit;
  logger: Logger;
  /** @default metrics on a fresh registry, without process metrics */
  metrics?: WebhookMetrics;
  /** Serve the metrics registry at this path; `undefined` serves none. */
  telemetryPath?: string | undefined;
  /** What `/health/ready` reports; @default always ready */
  isReady?: () => boolean;
  /** TLS options of the HTTPS server; without them the app is for `inject()` only. */
  https?: HttpsServerOptions;
  /** @default BODY_LIMIT_BYTES */
  bodyLimitBytes?: number;
}

export function buildApp(options: BuildAppOptions): FastifyInstance {
  const { admit, logger, telemetryPath, isReady = () => true, bodyLimitBytes = BODY_LIMIT_BYTES } = options;
  const metrics = options.metrics ?? createWebhookMetrics({ processMetrics: false });
  const app = fastify({
    loggerInstance: logger,
    // One log line per decision comes from the mutate route; per-request access logs would double
    // them, and a per-request child logger costs time on the hot path for nothing.
    logController: new LogController({ disableRequestLogging: true }),
    childLoggerFactory: (parent) => parent,
    bodyLimit: bodyLimitBytes,
    requestTimeout: REQUEST_TIMEOUT_MS,
    // While draining on shutdown, keep answering requests that still arrive on open connections
    // (with `Connection: close`): a 503 would let `failurePolicy: Ignore` admit pods uninjected.
    return503OnClosing: false,
    ...(options.https ? { https: options.https } : {}),
    // Malformed URLs and the like, before any route: same `{ code, message }` shape.
    frameworkErrors: (error, _request, reply) => {
      const transport = toTransportError(error, { bodyLimitBytes });
      void (reply as FastifyReply).code(transport.statusCode).send(transport.toBody());
    },
  }) as unknown as FastifyInstance;

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, parseJsonBody);

  app.setErrorHandler((error, request, reply) => {
    const transport = toTransportError(error, { contentType: request.headers['content-type'], bodyLimitBytes });
    if (request.url.startsWith(MUTATE_PATH)) metrics.invalidRequests.inc({ code: transport.code });
    if (transport.code === TransportErrorCode.internal) {
      request.admissionOutcome = 'error';
      logger.error({ err: { type: (error as Error)?.name, code: (error as { code?: unknown })?.code } }, 'request failed');
    } else {
      logger.debug({ code: transport.code, statusCode: transport.statusCode }, 'request rejected');
    }
    return reply.code(transport.statusCode).send(transport.toBody());
  });

  app.setNotFoundHandler((request, reply) => {
    const error = new TransportError(TransportErrorCode.notFound, `no route ${request.method} ${clip(request.url, 200)}: POST AdmissionReviews to ${MUTATE_PATH}`);
    return reply.code(error.statusCode).send(error.toBody());
  });

  registerMutateRoute(app, { admit, logger, metrics });

  app.get('/health/live', (_request, reply) => reply.code(204).send());
  app.get('/health/ready', (_request, reply) => {
    if (isReady()) return reply.code(204).send();
    return reply.code(503).send({ code: 'WEBHOOK_NOT_READY', message: 'not ready: starting or shutting down' });
  });

  if (telemetryPath !== undefined) {
    app.get(telemetryPath, async (_request, reply) => {
      const text = await metrics.registry.metrics();
      return reply.type(metrics.registry.contentType).send(text);
    });
  }
  return app;
}
