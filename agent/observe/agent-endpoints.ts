/**
 * The agent's small HTTP endpoints, on node:http (fastify would add RSS to every pod for three
 * routes):
 * - health (`health.port`, all interfaces): `GET <health.path>` (default `/readyz`) is 200 once
 *   every template rendered once, else 503 — a native sidecar's startupProbe points here, so the
 *   app starts only when its files exist; `GET /livez` is 200 while the process serves.
 * - metrics (`metrics.port`, all interfaces): `GET <metrics.path>`; may share the health port.
 * - quit (`listener.address`, loopback only, with `listener.enableQuit`): `POST /agent/v1/quit`
 *   stops the agent as a stop signal would (vault-k8s's way for a Job to end a classic sidecar).
 *
 * Bodies are short status words; nothing about secrets is ever served. `node:http` is imported
 * only when some endpoint is configured (an init container usually has none).
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { EndpointConfig, ListenerConfig } from '../../contract/agent-config/index.js';
import { listenerPort } from '../../contract/agent-config/runtime.js';
import { METRICS_CONTENT_TYPE } from './agent-metrics.js';

export const LIVENESS_PATH = '/livez';
export const QUIT_PATH = '/agent/v1/quit';

export interface EndpointOptions {
  health: EndpointConfig | undefined;
  metrics: EndpointConfig | undefined;
  listener: ListenerConfig | undefined;
  isReady(): boolean;
  metricsText(): string;
  /** Called once per accepted quit request, after the answer was sent. */
  onQuit(): void;
  logger: Logger;
  /** Interface of the health and metrics ports; @default all interfaces */
  host?: string;
}

export interface RunningEndpoints {
  /** Bound ports by role, e.g. `{ health: 8080 }`. */
  readonly ports: Readonly<Record<'health' | 'metrics' | 'quit', number | undefined>>;
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => boolean;

/** Starts the configured servers; rejects (closing what started) when one cannot listen. */
export async function startAgentEndpoints(options: EndpointOptions): Promise<RunningEndpoints> {
  const byPort = new Map<number, { host: string | undefined; handlers: Handler[]; roles: ('health' | 'metrics' | 'quit')[] }>();
  const add = (port: number, host: string | undefined, role: 'health' | 'metrics' | 'quit', handler: Handler): void => {
    const entry = byPort.get(port) ?? { host, handlers: [], roles: [] };
    entry.handlers.push(handler);
    entry.roles.push(role);
    byPort.set(port, entry);
  };
  const { health, metrics, listener } = options;
  if (health !== undefined) add(health.port, options.host, 'health', healthHandler(health.path, options.isReady));
  if (metrics !== undefined) add(metrics.port, options.host, 'metrics', metricsHandler(metrics.path, options.metricsText));
  if (listener?.enableQuit === true) {
    const port = listenerPort(listener.address) as number;
    add(port, listener.address.replace(/:[0-9]+$/, '').replace(/^\[|\]$/g, ''), 'quit', quitHandler(options.onQuit));
  }
  const servers: Server[] = [];
  const ports: Record<'health' | 'metrics' | 'quit', number | undefined> = { health: undefined, metrics: undefined, quit: undefined };
  const close = async (): Promise<void> => {
    await Promise.all(servers.map((server) => new Promise<void>((resolveClose) => {
      server.close(() => resolveClose());
      server.closeAllConnections();
    })));
  };
  if (byPort.size === 0) return { ports, close };
  try {
    const { createServer } = await import('node:http');
    for (const [port, entry] of byPort) {
      const server = createServer((req, res) => {
        if (!entry.handlers.some((handle) => handle(req, res))) send(res, 404, 'not found\n');
      });
      server.keepAliveTimeout = 5_000;
      await listen(server, port, entry.host);
      servers.push(server);
      const address = server.address();
      for (const role of entry.roles) ports[role] = typeof address === 'object' && address !== null ? address.port : port;
      options.logger.info({ port: ports[entry.roles[0] ?? 'health'], serves: entry.roles }, 'agent endpoint listening');
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { ports, close };
}

function listen(server: Server, port: number, host: string | undefined): Promise<void> {
  return new Promise((resolveListen, reject) => {
    server.once('error', reject);
    server.listen({ port, host }, () => {
      server.off('error', reject);
      resolveListen();
    });
  });
}

function pathOf(req: IncomingMessage): string {
  return (req.url ?? '/').split('?')[0] ?? '/';
}

function send(res: ServerResponse, status: number, body: string, contentType = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(body);
}

function isRead(req: IncomingMessage): boolean {
  return req.method === 'GET' || req.method === 'HEAD';
}

function healthHandler(path: string, isReady: () => boolean): Handler {
  return (req, res) => {
    const requested = pathOf(req);
    if (requested !== path && requested !== LIVENESS_PATH) return false;
    if (!isRead(req)) return (send(res, 405, 'method not allowed\n'), true);
    if (requested === LIVENESS_PATH) return (send(res, 200, 'ok\n'), true);
    const ready = isReady();
    send(res, ready ? 200 : 503, ready ? 'ok\n' : 'not ready: waiting for the first full render\n');
    return true;
  };
}

function metricsHandler(path: string, metricsText: () => string): Handler {
  return (req, res) => {
    if (pathOf(req) !== path) return false;
    if (!isRead(req)) return (send(res, 405, 'method not allowed\n'), true);
    send(res, 200, metricsText(), METRICS_CONTENT_TYPE);
    return true;
  };
}

function quitHandler(onQuit: () => void): Handler {
  return (req, res) => {
    if (pathOf(req) !== QUIT_PATH) return false;
    if (req.method !== 'POST') return (send(res, 405, 'method not allowed\n'), true);
    res.once('finish', onQuit);
    send(res, 200, 'stopping\n');
    return true;
  };
}
