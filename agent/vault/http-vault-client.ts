/**
 * The agent's one Vault adapter: {@link VaultClient} over HTTP, with every option explicit.
 *
 * Why not node-vault (the project's first pick): it reads `VAULT_ADDR`, `VAULT_TOKEN`,
 * `VAULT_NAMESPACE` and `VAULT_SKIP_VERIFY` from the environment for anything left empty; its
 * axios errors carry the request config, i.e. `X-Vault-Token` and the login JWT; it has no
 * default timeout; and it brings axios, debug, mustache and tv4 for what is a handful of JSON
 * calls. Here TLS, proxy, timeouts and retries are decided by the config alone.
 *
 * Why not undici (the brief's pick): memory. The agent must stay at or below `bao agent`'s
 * ~68 MiB RSS, and on Node 20.20.2 one request costs (VmRSS after 2.5 s idle, empty process
 * 39.6 MiB): `node:http` 43.8, node-vault 58.7–60.3, undici 7.30.2 60.4–71.3 (bundled with
 * esbuild: 43.9 / 54.7 / 57.6–65.8). undici runs its HTTP parser as WebAssembly. The transport is
 * HTTP/1.1 written directly on `node:net`/`node:tls` sockets (socket-transport.ts), lighter still
 * to start than `node:http`. undici is still used, imported lazily, for the one thing Node 20
 * lacks: an HTTP(S) proxy (`proxy-transport.ts`).
 *
 * Retries: only idempotent reads (GET, LIST), `maxRetries` times, ~1–1.5 s × attempt apart
 * (Vault's API client waits 1–1.5 s). Logins and writes are never retried here: auth has its own
 * backoff, and a repeated write may issue a second certificate or credential. The one exception
 * is a request that died on a kept-alive connection the server had just closed: it never reached
 * Vault, so it is sent again once, whatever its method.
 */
import type { VaultConnection } from '../../contract/agent-config/index.js';
import type { Logger } from '../observe/logger.js';
import type { HttpTransport } from './http-transport.js';
import { linkedAbort } from './linked-abort.js';
import { createProxyTransport } from './proxy-transport.js';
import { createSocketTransport } from './socket-transport.js';
import { loadTlsSettings, type TlsSettings } from './tls-options.js';
import type { VaultClient, VaultMethod, VaultRequest, VaultSecret } from './vault-api.js';
import { VaultError } from './vault-api.js';
import { failureToVaultError, httpStatusError, isRetryableRead, isStaleConnection } from './vault-error-mapping.js';
import { pathWithoutQuery, toHttpRequest, type HttpRequestParts } from './vault-http-request.js';
import { parseErrorStrings, parseSuccessBody } from './vault-response.js';

/** One finished attempt, for metrics and debug logs: metadata only. */
export interface VaultRequestEvent {
  method: VaultMethod;
  path: string;
  /** 1 for the first try. */
  attempt: number;
  status?: number;
  /** The error code when the attempt failed. */
  code?: string;
  durationMs: number;
}

export interface HttpVaultClientOptions {
  /** @default 'vault-injector-agent' */
  userAgent?: string;
  /** Clock for request durations. @default Date.now */
  now?: () => number;
  /** Warns once when TLS verification is off. */
  logger?: Logger;
  /** Connections kept to Vault at most. @default unlimited (Node's default) */
  maxConnectionsPerHost?: number;
  /** Called after every attempt. */
  onRequest?: (event: VaultRequestEvent) => void;
  /** Wait before read retry `attempt` (1-based). @default `(1000 + random·500) · attempt` ms */
  retryDelayMs?: (attempt: number) => number;
  /** Builds the transport; tests use it to put a fake HTTP layer underneath. */
  transport?: (tls: () => Promise<TlsSettings>) => HttpTransport;
}

let warnedSkipVerify = false;

export function createHttpVaultClient(connection: VaultConnection, options: HttpVaultClientOptions = {}): VaultClient {
  const { userAgent = 'vault-injector-agent', now = Date.now, onRequest } = options;
  const retryDelayMs = options.retryDelayMs ?? ((attempt: number) => (1_000 + Math.random() * 500) * attempt);
  if (connection.tlsSkipVerify && connection.address.startsWith('https:') && !warnedSkipVerify) {
    warnedSkipVerify = true;
    options.logger?.warn({ address: connection.address }, 'TLS certificate verification of Vault is turned off (tlsSkipVerify)');
  }
  const transport = (options.transport ?? ((tls) => defaultTransport(connection, tls, options.maxConnectionsPerHost)))(() =>
    loadTlsSettings(connection),
  );
  const defaults = { namespace: connection.namespace, userAgent };

  async function attempt(request: VaultRequest, parts: HttpRequestParts, number: number): Promise<VaultSecret | undefined> {
    const path = pathWithoutQuery(request.path);
    const started = now();
    const abort = linkedAbort(request.signal, connection.requestTimeoutMs);
    try {
      const response = await transport.send({ ...parts, signal: abort.signal });
      if (response.status >= 400) throw httpStatusError(request.method, path, response.status, parseErrorStrings(response.body));
      const result = response.status === 204 ? undefined : parseSuccessBody(response.body);
      onRequest?.({ method: request.method, path, attempt: number, status: response.status, durationMs: now() - started });
      return result;
    } catch (error) {
      if (isStaleConnection(error)) throw error; // resent by the caller
      const mapped = failureToVaultError(error, {
        method: request.method,
        path,
        callerAborted: request.signal?.aborted === true,
        timedOut: abort.timedOut(),
        timeoutMs: connection.requestTimeoutMs,
      });
      onRequest?.({ method: request.method, path, attempt: number, status: mapped.status, code: mapped.code, durationMs: now() - started });
      throw mapped;
    } finally {
      abort.dispose();
    }
  }

  /** One try, resent once at once when it died on a connection the server had closed. */
  async function attemptOnFreshConnection(request: VaultRequest, parts: HttpRequestParts, number: number) {
    try {
      return await attempt(request, parts, number);
    } catch (error) {
      if (!isStaleConnection(error)) throw error;
      return attempt(request, parts, number);
    }
  }

  return {
    async request(request) {
      const parts = toHttpRequest(request, defaults);
      const retries = request.method === 'GET' || request.method === 'LIST' ? connection.maxRetries : 0;
      for (let number = 1; ; number++) {
        try {
          return await attemptOnFreshConnection(request, parts, number);
        } catch (error) {
          const mapped = error instanceof VaultError ? error : failureToVaultError(error, failureContext(request, connection));
          if (number > retries || !isRetryableRead(mapped) || request.signal?.aborted) throw mapped;
          await sleep(retryDelayMs(number), request.signal);
        }
      }
    },
    close: () => transport.close(),
  };
}

function defaultTransport(connection: VaultConnection, tls: () => Promise<TlsSettings>, maxConnectionsPerHost: number | undefined): HttpTransport {
  const baseUrl = new URL(connection.address);
  if (connection.proxyAddress !== undefined) {
    return createProxyTransport({ baseUrl, proxyAddress: connection.proxyAddress, tls, maxConnectionsPerHost });
  }
  return createSocketTransport({ baseUrl, tls, maxConnectionsPerHost });
}

function failureContext(request: VaultRequest, connection: VaultConnection) {
  const callerAborted = request.signal?.aborted === true;
  return { method: request.method, path: pathWithoutQuery(request.path), callerAborted, timedOut: false, timeoutMs: connection.requestTimeoutMs };
}

/** Resolves after `ms`, or at once when `signal` aborts (the next attempt then fails as aborted). */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
