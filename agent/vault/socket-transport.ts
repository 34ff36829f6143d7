/**
 * Vault over plain HTTP/1.1 on `node:net` / `node:tls` sockets, with kept-alive connections: the
 * default transport. Vault's API needs little of HTTP — one request at a time per connection, a
 * JSON body with Content-Length, an answer with Content-Length or chunked — and `node:http` costs
 * the agent's start ~10 ms (loading its modules, then its first request) that this does not:
 * `node:net` is part of the agent's startup snapshot, where `node:http` cannot be (agent/snapshot/).
 * `node:tls` is loaded for an https Vault only.
 *
 * Like Node's keep-alive agent: connections are reused most recent first, closed after
 * IDLE_SOCKET_TIMEOUT_MS idle, at most `maxConnectionsPerHost` at once (others wait), and a
 * request that fails on a reused connection before any answer says so (`reusedSocket`), so the
 * caller may send it again.
 */
import { connect as connectPlain, isIP, type Socket } from 'node:net';
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

export interface SocketTransportOptions {
  /** Vault's base URL; a path in it (a reverse proxy prefix) is kept. */
  baseUrl: URL;
  /** Resolved on first use, so a client can be built before its CA file exists. */
  tls: () => Promise<TlsSettings>;
  /** @default unlimited */
  maxConnectionsPerHost?: number;
}

interface Connection {
  socket: Socket;
  /** Has carried a request before. */
  reused: boolean;
  idleTimer?: NodeJS.Timeout;
}

export function createSocketTransport(options: SocketTransportOptions): HttpTransport {
  const { baseUrl } = options;
  const secure = baseUrl.protocol === 'https:';
  const host = baseUrl.hostname.replace(/^\[|\]$/g, '');
  const port = Number(baseUrl.port || (secure ? 443 : 80));
  const hostHeader = baseUrl.host;
  const prefix = baseUrl.pathname.replace(/\/+$/, '');
  const maxConnections = options.maxConnectionsPerHost ?? Infinity;
  const idle: Connection[] = [];
  const waiting: (() => void)[] = [];
  let open = 0;
  let closed = false;
  let tlsSettings: Promise<TlsSettings> | undefined;

  const connect = async (): Promise<Socket> => {
    if (!secure) return connectPlain({ host, port, noDelay: true });
    tlsSettings ??= options.tls().catch((error: unknown) => {
      tlsSettings = undefined; // a CA file mounted later is picked up by the next request
      throw error;
    });
    const [settings, tls] = await Promise.all([tlsSettings, import('node:tls')]);
    const servername = settings.servername ?? (isIP(host) === 0 ? host : undefined);
    return tls.connect({ host, port, ...settings, servername, ALPNProtocols: ['http/1.1'] }).setNoDelay(true);
  };

  const acquire = async (): Promise<Connection> => {
    for (;;) {
      const reusable = idle.pop();
      if (reusable !== undefined) {
        clearTimeout(reusable.idleTimer);
        if (!reusable.socket.destroyed) return reusable;
        continue;
      }
      if (open < maxConnections) break;
      await new Promise<void>((resolveTurn) => waiting.push(resolveTurn));
    }
    open++;
    try {
      const socket = await connect();
      // Errors of an idle connection: its 'close' follows, which drops it.
      socket.on('error', () => undefined);
      socket.once('close', () => {
        open--;
        const index = idle.findIndex((connection) => connection.socket === socket);
        if (index >= 0) idle.splice(index, 1);
        waiting.shift()?.();
      });
      return { socket, reused: false };
    } catch (error) {
      open--;
      waiting.shift()?.();
      throw error;
    }
  };

  const release = (connection: Connection, keepAlive: boolean): void => {
    connection.reused = true;
    if (!keepAlive || closed || connection.socket.destroyed) {
      connection.socket.destroy();
      return;
    }
    connection.idleTimer = setTimeout(() => connection.socket.destroy(), IDLE_SOCKET_TIMEOUT_MS);
    connection.idleTimer.unref();
    connection.socket.unref();
    idle.push(connection);
    waiting.shift()?.();
  };

  return {
    async send(request) {
      const head = requestHead(request, prefix, hostHeader);
      // A TLS setting that cannot be used (TlsConfigError) is reported as such by the client.
      const connection = await acquire();
      connection.socket.ref();
      const { response, keepAlive } = await exchange(connection, head, request);
      release(connection, keepAlive);
      return response;
    },
    async close() {
      closed = true;
      for (const connection of idle.splice(0)) {
        clearTimeout(connection.idleTimer);
        connection.socket.destroy();
      }
    },
  };
}

/** Request line and headers; header values must not break the head (a token is data). */
function requestHead(request: TransportRequest, prefix: string, host: string): string {
  let head = `${request.method} ${prefix}${request.path} HTTP/1.1\r\nHost: ${host}\r\n`;
  for (const [name, value] of Object.entries(request.headers)) {
    if (/[\r\n\0]/.test(name) || /[\r\n\0]/.test(value)) throw new TransportFailure('ERR_INVALID_CHAR', `invalid character in the ${name.replace(/[^\w-]/g, '')} header`);
    head += `${name}: ${value}\r\n`;
  }
  if (request.body !== undefined) head += `Content-Length: ${Buffer.byteLength(request.body)}\r\n`;
  return `${head}\r\n`;
}

function exchange(connection: Connection, head: string, request: TransportRequest): Promise<{ response: TransportResponse; keepAlive: boolean }> {
  const { socket, reused } = connection;
  return new Promise((resolveExchange, reject) => {
    const parser = new ResponseParser();
    let received = false;
    const cleanUp = (): void => {
      socket.off('data', onData);
      socket.off('error', onError);
      socket.off('close', onClose);
      request.signal.removeEventListener('abort', onAbort);
    };
    const fail = (error: unknown): void => {
      cleanUp();
      socket.destroy();
      // Nothing came back on a reused connection: the server closed it before reading this.
      reject(toTransportFailure(error, reused && !received));
    };
    const onData = (chunk: Buffer): void => {
      received = true;
      let done: ParsedResponse | undefined;
      try {
        done = parser.push(chunk);
      } catch (error) {
        fail(error);
        return;
      }
      if (done === undefined) return;
      cleanUp();
      resolveExchange({ response: { status: done.status, body: done.body }, keepAlive: done.keepAlive });
    };
    const onError = (error: Error): void => fail(error);
    const onClose = (): void => {
      const done = parser.end();
      if (done !== undefined) {
        cleanUp();
        resolveExchange({ response: { status: done.status, body: done.body }, keepAlive: false });
        return;
      }
      fail(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    };
    const onAbort = (): void => fail(Object.assign(new Error('The operation was aborted'), { name: 'AbortError', code: 'ABORT_ERR' }));
    if (request.signal.aborted) {
      onAbort();
      return;
    }
    socket.on('data', onData);
    socket.on('error', onError);
    socket.on('close', onClose);
    request.signal.addEventListener('abort', onAbort, { once: true });
    socket.write(request.body === undefined ? head : head + request.body);
  });
}

interface ParsedResponse {
  status: number;
  body: string;
  keepAlive: boolean;
}

const HEAD_END = Buffer.from('\r\n\r\n');
const CRLF = Buffer.from('\r\n');
/** Longest response head accepted (Node's default limit is 16 KiB). */
const MAX_HEAD_BYTES = 64 * 1024;

/** An HTTP/1.1 response, fed as it arrives: Content-Length, chunked, or up to the close. */
export class ResponseParser {
  private buffer: Buffer = Buffer.alloc(0);
  private status = 0;
  private keepAlive = true;
  /** Body framing once the head is read. */
  private framing: { kind: 'length'; length: number } | { kind: 'chunked' } | { kind: 'close' } | undefined;
  private readonly chunks: Buffer[] = [];
  private size = 0;

  /** Adds bytes; returns the response once complete. Throws on a malformed or too large one. */
  push(data: Buffer): ParsedResponse | undefined {
    this.buffer = this.buffer.length === 0 ? data : Buffer.concat([this.buffer, data]);
    for (;;) {
      if (this.framing === undefined) {
        if (!this.readHead()) return undefined;
        continue;
      }
      return this.readBody();
    }
  }

  /** The connection closed: the response, when it was complete or read up to the close. */
  end(): ParsedResponse | undefined {
    if (this.framing?.kind !== 'close') return undefined;
    this.take(this.buffer);
    this.buffer = Buffer.alloc(0);
    return this.finish(false);
  }

  private readHead(): boolean {
    const end = this.buffer.indexOf(HEAD_END);
    if (end < 0) {
      if (this.buffer.length > MAX_HEAD_BYTES) throw new TransportFailure('HPE_HEADER_OVERFLOW', 'response head too large');
      return false;
    }
    const lines = this.buffer.subarray(0, end).toString('latin1').split('\r\n');
    this.buffer = this.buffer.subarray(end + HEAD_END.length);
    const statusLine = /^HTTP\/1\.([01]) (\d{3})(?: |$)/.exec(lines[0] ?? '');
    if (statusLine === null) throw new TransportFailure('HPE_INVALID_CONSTANT', 'not an HTTP/1.x response');
    const status = Number(statusLine[2]);
    if (status >= 100 && status < 200) return true; // 100 Continue and the like: the answer follows
    let length: number | undefined;
    let chunked = false;
    let connection = statusLine[1] === '1' ? 'keep-alive' : 'close';
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      if (colon <= 0) throw new TransportFailure('HPE_INVALID_HEADER_TOKEN', 'malformed response header');
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (name === 'content-length') {
        if (!/^\d+$/.test(value) || (length !== undefined && length !== Number(value))) throw new TransportFailure('HPE_INVALID_CONTENT_LENGTH', 'invalid Content-Length');
        length = Number(value);
      } else if (name === 'transfer-encoding') {
        chunked = value.toLowerCase().split(',').map((coding) => coding.trim()).at(-1) === 'chunked';
        if (!chunked) throw new TransportFailure('HPE_INVALID_TRANSFER_ENCODING', `unsupported Transfer-Encoding ${value.slice(0, 40)}`);
      } else if (name === 'connection') {
        connection = value.toLowerCase();
      }
    }
    this.status = status;
    this.keepAlive = !connection.split(',').some((token) => token.trim() === 'close');
    if (status === 204 || status === 304) this.framing = { kind: 'length', length: 0 };
    else if (chunked) this.framing = { kind: 'chunked' };
    else if (length !== undefined) this.framing = { kind: 'length', length };
    else {
      this.framing = { kind: 'close' };
      this.keepAlive = false;
    }
    if (this.framing.kind === 'length' && this.framing.length > MAX_RESPONSE_BYTES) throw tooLarge();
    return true;
  }

  private readBody(): ParsedResponse | undefined {
    const framing = this.framing;
    if (framing?.kind === 'length') {
      const missing = framing.length - this.size;
      if (this.buffer.length < missing) {
        this.take(this.buffer);
        this.buffer = Buffer.alloc(0);
        return undefined;
      }
      this.take(this.buffer.subarray(0, missing));
      // Bytes after the body on a one-request-at-a-time connection: the server is confused.
      const extra = this.buffer.length > missing;
      this.buffer = Buffer.alloc(0);
      return this.finish(this.keepAlive && !extra);
    }
    if (framing?.kind === 'close') {
      this.take(this.buffer);
      this.buffer = Buffer.alloc(0);
      return undefined;
    }
    for (;;) {
      const lineEnd = this.buffer.indexOf(CRLF);
      if (lineEnd < 0) return undefined;
      const sizeText = this.buffer.subarray(0, lineEnd).toString('latin1').split(';')[0]?.trim() ?? '';
      if (!/^[0-9a-fA-F]{1,8}$/.test(sizeText)) throw new TransportFailure('HPE_INVALID_CHUNK_SIZE', 'invalid chunk size');
      const size = parseInt(sizeText, 16);
      if (size === 0) {
        // The last chunk; trailers, if any, end with an empty line.
        const terminator = this.buffer.indexOf(HEAD_END, lineEnd);
        if (terminator < 0) return undefined;
        const extra = this.buffer.length > terminator + HEAD_END.length;
        this.buffer = Buffer.alloc(0);
        return this.finish(this.keepAlive && !extra);
      }
      if (this.buffer.length < lineEnd + 2 + size + 2) return undefined;
      this.take(this.buffer.subarray(lineEnd + 2, lineEnd + 2 + size));
      this.buffer = this.buffer.subarray(lineEnd + 2 + size + 2);
    }
  }

  private take(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.size += bytes.length;
    if (this.size > MAX_RESPONSE_BYTES) throw tooLarge();
    this.chunks.push(bytes);
  }

  private finish(keepAlive: boolean): ParsedResponse {
    return { status: this.status, body: Buffer.concat(this.chunks).toString('utf8'), keepAlive };
  }
}

function tooLarge(): TransportFailure {
  return new TransportFailure('RESPONSE_TOO_LARGE', `response larger than ${MAX_RESPONSE_BYTES} bytes`);
}
