/**
 * Vault through an HTTP(S) proxy (vault-k8s `proxy-address`): undici's ProxyAgent, which tunnels
 * with CONNECT for an https Vault and handles proxy credentials in the URL. undici is imported on
 * first use only, so agents without a proxy never pay its memory (see `http-vault-client.ts`).
 */
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
import type * as UndiciModule from 'undici';

export interface ProxyTransportOptions {
  baseUrl: URL;
  proxyAddress: string;
  tls: () => Promise<TlsSettings>;
  maxConnectionsPerHost?: number;
}

type Undici = typeof UndiciModule;
type ProxyAgent = InstanceType<Undici['ProxyAgent']>;

export function createProxyTransport(options: ProxyTransportOptions): HttpTransport {
  const prefix = options.baseUrl.pathname.replace(/\/+$/, '');
  let dispatcher: Promise<{ undici: Undici; agent: ProxyAgent }> | undefined;
  const getDispatcher = () => {
    dispatcher ??= buildDispatcher(options).catch((error: unknown) => {
      dispatcher = undefined;
      throw error;
    });
    return dispatcher;
  };
  return {
    async send(request) {
      const { undici, agent } = await getDispatcher();
      return exchange(undici, agent, new URL(prefix + request.path, options.baseUrl.origin), request);
    },
    async close() {
      const current = await dispatcher?.catch(() => undefined);
      await current?.agent.close();
    },
  };
}

async function buildDispatcher(options: ProxyTransportOptions): Promise<{ undici: Undici; agent: ProxyAgent }> {
  const undici = await import('undici');
  const tls = options.baseUrl.protocol === 'https:' ? await options.tls() : undefined;
  const agent = new undici.ProxyAgent({
    uri: options.proxyAddress,
    keepAliveTimeout: IDLE_SOCKET_TIMEOUT_MS,
    ...(options.maxConnectionsPerHost === undefined ? {} : { connections: options.maxConnectionsPerHost }),
    ...(tls === undefined ? {} : { requestTls: tls }),
  });
  return { undici, agent };
}

async function exchange(undici: Undici, agent: ProxyAgent, url: URL, request: TransportRequest): Promise<TransportResponse> {
  try {
    const response = await undici.request(url, {
      dispatcher: agent,
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: request.signal,
    });
    const declared = Number(response.headers['content-length'] ?? 0);
    if (declared > MAX_RESPONSE_BYTES) {
      response.body.destroy();
      throw new TransportFailure('RESPONSE_TOO_LARGE', `response larger than ${MAX_RESPONSE_BYTES} bytes`);
    }
    return { status: response.statusCode, body: await readCapped(response.body) };
  } catch (error) {
    throw toTransportFailure(error);
  }
}

async function readCapped(body: AsyncIterable<Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > MAX_RESPONSE_BYTES) throw new TransportFailure('RESPONSE_TOO_LARGE', `response larger than ${MAX_RESPONSE_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
