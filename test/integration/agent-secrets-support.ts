// Edges of the secret store for the integration tests: a Vault client that counts what it sends,
// a token provider holding the test server's root token, and a logger that keeps its lines.
import { Writable } from 'node:stream';
import type { TokenProvider } from '../../agent/auth/token-provider.js';
import { createLogger, type Logger } from '../../agent/observe/logger.js';
import { VaultError, type VaultClient, type VaultRequest, type VaultSecret } from '../../agent/vault/vault-api.js';

/** A minimal fetch-based {@link VaultClient}: no retries of its own, so every attempt is the store's. */
export function fetchVaultClient(address: string, timeoutMs = 5_000): VaultClient {
  return {
    async request(request) {
      const { method, path, body, token, namespace, signal } = request;
      const headers: Record<string, string> = { 'x-vault-request': 'true' };
      if (token !== undefined) headers['x-vault-token'] = token;
      if (namespace !== undefined) headers['x-vault-namespace'] = namespace;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const url = `${address}/v1/${path}${method === 'LIST' ? `${path.includes('?') ? '&' : '?'}list=true` : ''}`;
      const timeout = AbortSignal.timeout(timeoutMs);
      let response: Response;
      try {
        response = await fetch(url, {
          method: method === 'LIST' ? 'GET' : method,
          headers,
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: signal === undefined ? timeout : AbortSignal.any([signal, timeout]),
        });
      } catch {
        if (signal?.aborted === true) throw new VaultError('VAULT_ABORTED', method, path, 'aborted');
        if (timeout.aborted) throw new VaultError('VAULT_TIMEOUT', method, path, 'timed out');
        throw new VaultError('VAULT_NETWORK', method, path, 'network error');
      }
      const text = await response.text().catch(() => '');
      if (response.status === 204 || (response.ok && text.trim() === '')) return undefined;
      const json = safeJson(text);
      if (!response.ok) {
        const errors = Array.isArray(json?.errors) ? json.errors.filter((e): e is string => typeof e === 'string') : [];
        throw new VaultError('VAULT_HTTP', method, path, `status ${response.status}`, response.status, errors);
      }
      if (json === undefined) throw new VaultError('VAULT_BAD_RESPONSE', method, path, 'not JSON');
      return toSecret(json);
    },
    close: async () => {},
  };
}

function safeJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function toSecret(json: Record<string, unknown>): VaultSecret {
  return {
    requestId: typeof json.request_id === 'string' ? json.request_id : '',
    leaseId: typeof json.lease_id === 'string' ? json.lease_id : '',
    leaseDuration: typeof json.lease_duration === 'number' ? json.lease_duration : 0,
    renewable: json.renewable === true,
    data: typeof json.data === 'object' && json.data !== null ? (json.data as Record<string, unknown>) : null,
    warnings: Array.isArray(json.warnings) ? (json.warnings as string[]) : null,
    auth: null,
    wrapInfo: null,
  };
}

export interface CountingClient extends VaultClient {
  requests: { at: number; method: string; path: string; outcome: 'ok' | string }[];
  count(filter?: (request: CountingClient['requests'][number]) => boolean): number;
}

/** Wraps a client and records every request (method, path, outcome; never tokens or bodies). */
export function countingClient(inner: VaultClient): CountingClient {
  const requests: CountingClient['requests'] = [];
  return {
    requests,
    count: (filter = () => true) => requests.filter(filter).length,
    async request(request: VaultRequest) {
      const record = { at: Date.now(), method: request.method, path: request.path, outcome: 'pending' };
      requests.push(record);
      try {
        const answer = await inner.request(request);
        record.outcome = 'ok';
        return answer;
      } catch (err) {
        record.outcome = err instanceof VaultError ? `${err.code}${err.status === undefined ? '' : ` ${err.status}`}` : 'error';
        throw err;
      }
    },
    close: () => inner.close(),
  };
}

/** The root token of the test server; it never changes, so a 403 is always final. */
export function rootTokens(rootToken: string): TokenProvider {
  return {
    token: async () => rootToken,
    current: () => rootToken,
    reportInvalid: () => {},
    onNewToken: () => () => {},
    revokeSelf: async () => {},
    stop: async () => {},
  };
}

export function capturingLogger(): { logger: Logger; text(): string } {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString('utf8'));
      callback();
    },
  });
  return { logger: createLogger({ level: 'debug', destination }), text: () => chunks.join('') };
}
