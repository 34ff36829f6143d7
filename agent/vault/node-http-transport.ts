/**
 * Vault over Node's own `http`/`https` with a keep-alive agent. Node parses HTTP natively, where
 * undici runs llhttp as WebAssembly: loading undici and making one request costs ~17–26 MiB more
 * RSS than `node:https` (see `http-vault-client.ts`), which the agent cannot spare next to
 * `bao agent`'s ~68 MiB.
 *
 * `node:http` and `node:https` are imported on first use: an agent whose config is invalid never
 * needs them, and they cannot be part of the agent's startup snapshot (agent/snapshot/).
 */
import type * as Http from 'node:http';
import type * as Https from 'node:https';
import {
  IDLE_SOCKET_TIMEOUT_MS,
  MAX_RESPONSE_BYTES,
  TransportFailure,
  toTransportFailure,
  type HttpTransport,
  type TransportRequest,
  type TransportResponse,
} from './http-transport.js';
import type { TlsSettings } from './tls-options.js';

export interface NodeTransportOptions {
  /** Vault's base URL; a path in it (a reverse proxy prefix) is kept. */
  baseUrl: URL;
  /** Resolved on first use, so a client can be built before its CA file exists. */
  tls: () => Promise<TlsSettings>;
  /** @default Infinity (Node's default) */
  maxConnectionsPerHost?: number;
}

export function createNodeHttpTransport(options: NodeTransportOptions): HttpTransport {
  const { baseUrl } = options;
  const secure = baseUrl.protocol === 'https:';
  const prefix = baseUrl.pathname.replace(/\/+$/, '');
  let agent: Promise<Connection> | undefined;
  const getAgent = (): Promise<Connection> => {
    agent ??= buildAgent(secure, options).catch((error: unknown) => {
      agent = undefined; // a CA file mounted later is picked up by the next request
      throw error;
    });
    return agent;
  };
  return {
    async send(request) {
      const connection = await getAgent();
      return exchange(connection, baseUrl, prefix, request);
    },
    async close() {
      const current = await agent?.catch(() => undefined);
      current?.agent.destroy();
    },
  };
}

/** The module that sends requests, and its keep-alive agent. */
interface Connection {
  module: typeof Http | typeof Https;
  agent: Http.Agent;
}

async function buildAgent(secure: boolean, options: NodeTransportOptions): Promise<Connection> {
  const common = { keepAlive: true, timeout: IDLE_SOCKET_TIMEOUT_MS, scheduling: 'lifo' as const, maxSockets: options.maxConnectionsPerHost };
  if (!secure) {
    const http = await import('node:http');
    return { module: http, agent: new http.Agent(common) };
  }
  const [https, tls] = await Promise.all([import('node:https'), options.tls()]);
  return { module: https, agent: new https.Agent({ ...common, ...tls }) };
}

function exchange(
  { module, agent }: Connection,
  baseUrl: URL,
  prefix: string,
  request: TransportRequest,
): Promise<TransportResponse> {
  return new Promise((resolve, reject) => {
    const outgoing = module.request(
      {
        agent,
        protocol: baseUrl.protocol,
        hostname: baseUrl.hostname.replace(/^\[|\]$/g, ''),
        port: baseUrl.port || undefined,
        method: request.method,
        path: prefix + request.path,
        headers: request.headers,
        signal: request.signal,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_RESPONSE_BYTES) {
            response.destroy(new TransportFailure('RESPONSE_TOO_LARGE', `response larger than ${MAX_RESPONSE_BYTES} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', (error) => reject(toTransportFailure(error)));
      },
    );
    outgoing.on('error', (error) => reject(toTransportFailure(error, outgoing.reusedSocket)));
    outgoing.end(request.body);
  });
}
