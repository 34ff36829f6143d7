// The agent's HTTP/1.1 transport on raw sockets (agent/vault/socket-transport.ts) against local
// servers: node:http ones for the framing Vault's Go server uses (Content-Length, chunked,
// Connection: close, 204), and raw TCP ones for what a server must never do or does rarely.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { TransportFailure, type HttpTransport, type TransportRequest } from '../../../../agent/vault/http-transport.js';
import { ResponseParser, createSocketTransport } from '../../../../agent/vault/socket-transport.js';

const servers: (Server | TcpServer)[] = [];
const transports: HttpTransport[] = [];
const serverSockets = new Set<Socket>();
afterEach(async () => {
  await Promise.all(transports.splice(0).map((transport) => transport.close()));
  for (const socket of serverSockets) socket.destroy();
  serverSockets.clear();
  for (const server of servers.splice(0)) {
    if ('closeAllConnections' in server) server.closeAllConnections();
    await new Promise((resolveClose) => server.close(resolveClose));
  }
});

async function httpServer(handler: (request: IncomingMessage, body: string, response: ServerResponse) => void): Promise<string> {
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => handler(request, body, response));
  });
  servers.push(server);
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function tcpServer(onConnection: (socket: Socket) => void): Promise<string> {
  const server = createTcpServer((socket) => {
    serverSockets.add(socket);
    onConnection(socket);
  });
  servers.push(server);
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function transport(address: string, maxConnectionsPerHost?: number): HttpTransport {
  const created = createSocketTransport({ baseUrl: new URL(address), tls: async () => ({ rejectUnauthorized: true }), maxConnectionsPerHost });
  transports.push(created);
  return created;
}

const request = (overrides: Partial<TransportRequest> = {}): TransportRequest => ({
  method: 'GET',
  path: '/v1/secret/data/app',
  headers: { 'X-Vault-Token': 't0k3n', 'User-Agent': 'test' },
  signal: new AbortController().signal,
  ...overrides,
});

describe('the socket transport', () => {
  it('sends method, path (after the base path), headers and body; reads a Content-Length answer', async () => {
    const seen: { method?: string; url?: string; token?: unknown; host?: unknown; body: string }[] = [];
    const address = await httpServer((req, body, res) => {
      seen.push({ method: req.method, url: req.url, token: req.headers['x-vault-token'], host: req.headers.host, body });
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '11' }).end('{"ok":true}');
    });
    const answer = await transport(`${address}/prefix/`).send(request({ method: 'PUT', body: '{"ä":1}' }));
    expect(answer).toEqual({ status: 200, body: '{"ok":true}' });
    expect(seen).toEqual([{ method: 'PUT', url: '/prefix/v1/secret/data/app', token: 't0k3n', host: new URL(address).host, body: '{"ä":1}' }]);
  });

  it('reads chunked answers of any size, and 204 without a body', async () => {
    const big = 'x'.repeat(300_000);
    const address = await httpServer((req, _body, res) => {
      if (req.url?.endsWith('/none') === true) {
        res.writeHead(204).end();
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write(`{"data":"${big.slice(0, 1000)}`);
      setTimeout(() => res.end(`${big.slice(1000)}"}`), 5);
    });
    const http = transport(address);
    expect(await http.send(request())).toEqual({ status: 200, body: `{"data":"${big}"}` });
    expect(await http.send(request({ path: '/v1/none', method: 'DELETE' }))).toEqual({ status: 204, body: '' });
  });

  it('keeps a connection alive between requests, and opens no more than maxConnectionsPerHost', async () => {
    const sockets = new Set<unknown>();
    let concurrent = 0;
    let most = 0;
    const address = await httpServer((req, _body, res) => {
      sockets.add(req.socket);
      concurrent++;
      most = Math.max(most, concurrent);
      setTimeout(() => {
        concurrent--;
        res.writeHead(200, { 'Content-Length': '2' }).end('{}');
      }, 5);
    });
    const http = transport(address, 2);
    await http.send(request());
    await http.send(request());
    expect(sockets.size).toBe(1);
    const answers = await Promise.all(Array.from({ length: 6 }, () => http.send(request())));
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    expect(most).toBe(2);
    expect(sockets.size).toBe(2);
  });

  it('uses a new connection after the server answered Connection: close', async () => {
    const sockets = new Set<unknown>();
    const address = await httpServer((req, _body, res) => {
      sockets.add(req.socket);
      res.writeHead(200, { 'Content-Length': '2', Connection: 'close' }).end('{}');
    });
    const http = transport(address);
    await http.send(request());
    await http.send(request());
    expect(sockets.size).toBe(2);
  });

  it('reads an answer without length up to the close', async () => {
    const address = await tcpServer((socket) => socket.once('data', () => socket.end('HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n{"until":"close"}')));
    expect(await transport(address).send(request())).toEqual({ status: 200, body: '{"until":"close"}' });
  });

  it('marks a request that died on a reused connection without an answer, so it may be resent', async () => {
    let connections = 0;
    const address = await tcpServer((socket) => {
      connections++;
      socket.once('data', () => {
        socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}');
        // The server drops the kept-alive connection as the next request arrives.
        socket.once('data', () => socket.destroy());
      });
    });
    const http = transport(address);
    await http.send(request());
    const failure = await http.send(request()).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TransportFailure);
    expect(failure).toMatchObject({ code: 'ECONNRESET', reusedSocket: true });
    expect(await http.send(request())).toEqual({ status: 200, body: '{}' });
    expect(connections).toBe(2);
  });

  it('fails with the system error code when nothing listens, and on abort', async () => {
    const closed = await tcpServer(() => undefined);
    const port = new URL(closed).port;
    const last = servers.pop() as TcpServer;
    await new Promise((resolveClose) => last.close(resolveClose));
    await expect(transport(`http://127.0.0.1:${port}`).send(request())).rejects.toMatchObject({ code: 'ECONNREFUSED', reusedSocket: false });

    const silent = await tcpServer(() => undefined);
    const controller = new AbortController();
    const pending = transport(silent).send(request({ signal: controller.signal }));
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toMatchObject({ code: 'ABORT_ERR' });
  });

  it('refuses a header value that would break the request head', async () => {
    const address = await httpServer((_req, _body, res) => res.end('{}'));
    await expect(transport(address).send(request({ headers: { 'X-Vault-Token': 'a\r\nX-Injected: 1' } }))).rejects.toMatchObject({ code: 'ERR_INVALID_CHAR' });
  });

  it('rejects what is not an HTTP/1.x answer', async () => {
    const address = await tcpServer((socket) => socket.once('data', () => socket.end('SSH-2.0-OpenSSH\r\n\r\n')));
    await expect(transport(address).send(request())).rejects.toMatchObject({ code: 'HPE_INVALID_CONSTANT' });
  });
});

describe('ResponseParser', () => {
  const feed = (parser: ResponseParser, text: string, pieces: number) => {
    const bytes = Buffer.from(text);
    const size = Math.ceil(bytes.length / pieces);
    let result;
    for (let at = 0; at < bytes.length; at += size) result = parser.push(bytes.subarray(at, at + size));
    return result;
  };

  it('gives the same answer however the bytes are split, skipping 100 Continue and chunk extensions and trailers', () => {
    const text = 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\n{"a"\r\n6\r\n:"bé"\r\n1\r\n}\r\n0\r\nX-Trailer: 1\r\n\r\n';
    for (const pieces of [1, 2, 3, 7, text.length]) {
      expect(feed(new ResponseParser(), text, pieces)).toEqual({ status: 200, body: '{"a":"bé"}', keepAlive: true });
    }
  });

  it('honours HTTP/1.0 and Connection: close for keep-alive, and rejects bad framing', () => {
    expect(new ResponseParser().push(Buffer.from('HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\n{}'))).toEqual({ status: 200, body: '{}', keepAlive: false });
    expect(new ResponseParser().push(Buffer.from('HTTP/1.1 500 Internal\r\nConnection: close\r\nContent-Length: 0\r\n\r\n'))).toEqual({ status: 500, body: '', keepAlive: false });
    expect(() => new ResponseParser().push(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n'))).toThrow(TransportFailure);
    expect(() => new ResponseParser().push(Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'))).toThrow(TransportFailure);
    expect(() => new ResponseParser().push(Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n'))).toThrow(TransportFailure);
  });
});
