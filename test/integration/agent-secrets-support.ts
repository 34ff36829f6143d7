// Edges of the secret store for the integration tests: a wrapper that counts what a Vault client
// sends, a token provider holding the test server's root token, and a logger that keeps its lines.
import { Writable } from 'node:stream';
import type { TokenProvider } from '../../agent/auth/token-provider.js';
import { createLogger, type Logger } from '../../agent/observe/logger.js';
import { VaultError, type VaultClient, type VaultRequest } from '../../agent/vault/vault-api.js';

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
