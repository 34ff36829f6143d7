import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, serializeError } from '../../../../agent/observe/logger.js';
import { TransportFailure, type HttpTransport, type TransportRequest, type TransportResponse } from '../../../../agent/vault/http-transport.js';
import { createHttpVaultClient, type VaultRequestEvent } from '../../../../agent/vault/http-vault-client.js';
import { VaultError, type VaultClient } from '../../../../agent/vault/vault-api.js';
import { vaultConnectionSchema, type VaultConnectionInput } from './support.js';

type Answer = TransportResponse | Error | ((request: TransportRequest) => Promise<TransportResponse>);

/** A transport that answers from a script and records what was sent. */
function scriptedTransport(answers: Answer[]): HttpTransport & { sent: TransportRequest[] } {
  const sent: TransportRequest[] = [];
  return {
    sent,
    async send(request) {
      sent.push(request);
      const answer = answers.shift() ?? { status: 200, body: '{}' };
      if (answer instanceof Error) throw answer;
      return typeof answer === 'function' ? answer(request) : answer;
    },
    close: async () => {},
  };
}

function clientWith(answers: Answer[], connection: Partial<VaultConnectionInput> = {}) {
  const transport = scriptedTransport(answers);
  const events: VaultRequestEvent[] = [];
  const client = createHttpVaultClient(vaultConnectionSchema.parse({ address: 'http://vault.test:8200', ...connection }), {
    transport: () => transport,
    retryDelayMs: () => 0,
    onRequest: (event) => events.push(event),
  });
  return { client, transport, events };
}

const json = (status: number, body: unknown): TransportResponse => ({ status, body: JSON.stringify(body) });

async function failure(promise: Promise<unknown>): Promise<VaultError> {
  const error = await promise.then(() => undefined, (err: unknown) => err);
  expect(error).toBeInstanceOf(VaultError);
  return error as VaultError;
}

describe('HTTP Vault client', () => {
  it('retries a read maxRetries times on 5xx, then fails with the status and errors', async () => {
    const { client, transport, events } = clientWith([json(503, { errors: ['sealed'] }), json(503, { errors: ['sealed'] }), json(503, { errors: ['sealed'] })]);
    const error = await failure(client.request({ method: 'GET', path: 'secret/data/app?version=3', token: 't' }));
    expect(transport.sent).toHaveLength(3);
    expect(error).toMatchObject({ code: 'VAULT_HTTP', status: 503, errors: ['sealed'], method: 'GET', path: 'secret/data/app' });
    expect(error.message).toBe('GET secret/data/app: Vault answered HTTP 503: sealed');
    expect(events.map((event) => event.attempt)).toEqual([1, 2, 3]);
  });

  it('recovers when a retried read succeeds', async () => {
    const { client, transport } = clientWith([new TransportFailure('ECONNREFUSED', 'connect ECONNREFUSED'), json(200, { data: { a: 1 } })]);
    expect((await client.request({ method: 'LIST', path: 'secret/metadata' }))?.data).toEqual({ a: 1 });
    expect(transport.sent.map((request) => `${request.method} ${request.path}`)).toEqual(['GET /v1/secret/metadata?list=true', 'GET /v1/secret/metadata?list=true']);
  });

  it.each([['PUT'], ['POST'], ['DELETE']] as const)('never retries a %s (logins and writes)', async (method) => {
    const { client, transport } = clientWith([json(500, { errors: ['boom'] }), json(200, {})]);
    await failure(client.request({ method, path: 'auth/kubernetes/login', body: { role: 'r' } }));
    expect(transport.sent).toHaveLength(1);
  });

  it.each([
    [json(403, { errors: ['permission denied'] }), 'VAULT_HTTP'],
    [json(404, { errors: [] }), 'VAULT_HTTP'],
    [json(501, { errors: [] }), 'VAULT_HTTP'],
    [new TransportFailure('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'), 'VAULT_TLS'],
    [new TransportFailure('ERR_TLS_CERT_ALTNAME_INVALID', 'Hostname/IP does not match'), 'VAULT_TLS'],
  ])('does not retry what would fail again (%#)', async (answer, code) => {
    const { client, transport } = clientWith([answer, json(200, {})]);
    expect((await failure(client.request({ method: 'GET', path: 'x' }))).code).toBe(code);
    expect(transport.sent).toHaveLength(1);
  });

  it('resends any request once when it died on a kept-alive connection the server had closed', async () => {
    const { client, transport } = clientWith([new TransportFailure('ECONNRESET', 'socket hang up', true), json(200, { auth: { client_token: 'new' } })]);
    const answer = await client.request({ method: 'PUT', path: 'auth/approle/login', body: {} });
    expect(answer?.auth?.clientToken).toBe('new');
    expect(transport.sent).toHaveLength(2);
  });

  it('gives up after requestTimeoutMs with VAULT_TIMEOUT', async () => {
    const hang = (request: TransportRequest) =>
      new Promise<TransportResponse>((_, reject) => request.signal.addEventListener('abort', () => reject(request.signal.reason)));
    const { client, transport } = clientWith([hang, hang], { requestTimeoutMs: 30, maxRetries: 1 });
    const error = await failure(client.request({ method: 'GET', path: 'slow' }));
    expect(error.code).toBe('VAULT_TIMEOUT');
    expect(error.message).toBe('GET slow: no answer within 30 ms');
    expect(transport.sent).toHaveLength(2);
  });

  it('stops at once, without retrying, when the caller aborts', async () => {
    const controller = new AbortController();
    const hang = (request: TransportRequest) =>
      new Promise<TransportResponse>((_, reject) => request.signal.addEventListener('abort', () => reject(request.signal.reason)));
    const { client, transport } = clientWith([hang, hang]);
    const pending = client.request({ method: 'GET', path: 'x', signal: controller.signal });
    controller.abort();
    expect((await failure(pending)).code).toBe('VAULT_ABORTED');
    expect(transport.sent).toHaveLength(1);
  });

  it('answers undefined for 204 and refuses a non-Vault 200', async () => {
    const { client } = clientWith([{ status: 204, body: '' }, { status: 200, body: '<html>captive portal</html>' }]);
    expect(await client.request({ method: 'PUT', path: 'auth/token/revoke-self', token: 't' })).toBeUndefined();
    expect((await failure(client.request({ method: 'PUT', path: 'sys/x', body: {} }))).code).toBe('VAULT_BAD_RESPONSE');
  });
});

const CANARY_TOKEN = 'hvs.CANARY-TOKEN-5f1e0c';
const CANARY_JWT = 'eyJhbGciOiJFUzI1NiJ9.CANARY-JWT-payload.c2lnbmF0dXJl';
const CANARY_DATA = 'CANARY-RESPONSE-DATA-93ab';

/** Every way an error reaches a reader: its JSON, message, stack, string form and a log line. */
function renderings(error: unknown): string[] {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString());
      callback();
    },
  });
  createLogger({ level: 'info', destination }).error({ err: error }, 'login failed');
  const e = error as Error;
  return [JSON.stringify(error), e.message, String(e.stack), String(error), JSON.stringify(serializeError(error)), ...lines];
}

function expectNoCanary(error: unknown): void {
  for (const text of renderings(error)) {
    expect(text).not.toContain('CANARY-TOKEN');
    expect(text).not.toContain('CANARY-JWT');
    expect(text).not.toContain('CANARY-RESPONSE');
  }
}

describe('Vault client errors never carry credentials or data', () => {
  let server: Server | undefined;
  let client: VaultClient | undefined;
  afterEach(async () => {
    await client?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    server = undefined;
  });

  /** A server that quotes the request (headers and body) and extra data back in an error. */
  async function echoingServer(status: number, asJson: boolean): Promise<string> {
    server = createServer((request: IncomingMessage, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        const echo = `${JSON.stringify(request.headers)} ${body} ${CANARY_DATA}`;
        response.writeHead(status, { 'content-type': asJson ? 'application/json' : 'text/html' });
        response.end(asJson ? JSON.stringify({ errors: ['login refused'], data: { echo } }) : `<html>${echo}</html>`);
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
  }

  it.each([
    [400, true],
    [500, false],
    [502, false],
  ])('hides the token, the login JWT and the response when Vault answers %d', async (status, asJson) => {
    const address = await echoingServer(status, asJson);
    client = createHttpVaultClient(vaultConnectionSchema.parse({ address, maxRetries: 0 }));
    const error = await failure(client.request({ method: 'PUT', path: 'auth/kubernetes/login', token: CANARY_TOKEN, body: { role: 'app', jwt: CANARY_JWT } }));
    expect(error.status).toBe(status);
    expectNoCanary(error);
  });

  it('hides them when the connection is refused', async () => {
    const address = await echoingServer(200, true);
    await new Promise((resolve) => server!.close(resolve));
    server = undefined;
    client = createHttpVaultClient(vaultConnectionSchema.parse({ address, maxRetries: 0 }));
    const error = await failure(client.request({ method: 'PUT', path: 'auth/jwt/login', token: CANARY_TOKEN, body: { jwt: CANARY_JWT } }));
    expect(error.code).toBe('VAULT_NETWORK');
    expect(error.message).toContain('ECONNREFUSED');
    expectNoCanary(error);
  });

  it('hides them when a lower layer throws an error that quotes the request', async () => {
    // What axios does: the error carries the request config, headers and body included.
    const leaky = Object.assign(new Error(`Request failed: ${CANARY_JWT}`), { config: { headers: { 'X-Vault-Token': CANARY_TOKEN }, data: CANARY_JWT } });
    const { client: scripted } = clientWith([leaky]);
    const error = await failure(scripted.request({ method: 'PUT', path: 'auth/jwt/login', token: CANARY_TOKEN, body: { jwt: CANARY_JWT } }));
    expect(error.code).toBe('VAULT_NETWORK');
    expectNoCanary(error);
  });
});
