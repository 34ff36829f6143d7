/**
 * Vault over Node's own `http`/`https` with a keep-alive agent. Node parses HTTP natively, where
 * undici runs llhttp as WebAssembly: loading undici and making one request costs ~17–26 MiB more
 * RSS than `node:https` (see `http-vault-client.ts`), which the agent cannot spare next to
 * `bao agent`'s ~68 MiB.
 */
import http from 'node:http';
import https from 'node:https';
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
  let agent: Promise<http.Agent> | undefined;
  const getAgent = (): Promise<http.Agent> => {
    agent ??= buildAgent(secure, options).catch((error: unknown) => {
      agent = undefined; // a CA file mounted later is picked up by the next request
      throw error;
    });
    return agent;
  };
  return {
    async send(request) {
      const target = await getAgent();
      return exchange(secure ? https : http, target, baseUrl, prefix, request);
    },
    async close() {
      const current = await agent?.catch(() => undefined);
      current?.destroy();
    },
  };
}

async function buildAgent(secure: boolean, options: NodeTransportOptions): Promise<http.Agent> {
  const common = { keepAlive: true, timeout: IDLE_SOCKET_TIMEOUT_MS, scheduling: 'lifo' as const, maxSockets: options.maxConnectionsPerHost };
  if (!secure) return new http.Agent(common);
  const tls = await options.tls();
  return new https.Agent({ ...common, ...tls });
}

function exchange(
  module: typeof http | typeof https,
  agent: http.Agent,
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
