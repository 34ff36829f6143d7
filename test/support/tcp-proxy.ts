// A TCP proxy on 127.0.0.1 that a test can cut and restore: the stand-in for a network outage
// between the agent and OpenBao (restarting a `bao server -dev` would lose its data).
//
// While cut, the listener stays open and every connection — open or new — is reset at once, so
// clients see ECONNRESET instead of hanging, and every attempt is counted: a test can tell a
// bounded retry schedule from a busy loop.
import { createServer, connect, type Socket } from 'node:net';

export interface TcpProxy {
  /** The local port to point clients at. */
  readonly port: number;
  /** `http://127.0.0.1:<port>`, for HTTP clients. */
  readonly url: string;
  /** Connections accepted so far, including the ones reset while cut. */
  connectionCount(): number;
  /** When each connection arrived (epoch ms), in order. */
  readonly connectionTimesMs: readonly number[];
  /** Resets every open connection and every new one until `restore()`. */
  cut(): void;
  restore(): void;
  /** Closes the listener and every connection. Safe to call twice. */
  stop(): Promise<void>;
}

export interface ProxyTarget {
  host: string;
  port: number;
}

/**
 * `target` is `{ host, port }`, a URL such as OpenBao's `http://127.0.0.1:8200`, or a port on
 * 127.0.0.1.
 */
export async function startTcpProxy(target: ProxyTarget | string | number): Promise<TcpProxy> {
  const { host, port: targetPort } =
    typeof target === 'number' ? { host: '127.0.0.1', port: target } : typeof target === 'string' ? fromUrl(target) : target;
  const open = new Set<Socket>();
  const times: number[] = [];
  let isCut = false;
  let stopped: Promise<void> | undefined;

  const reset = (socket: Socket): void => {
    if (!socket.destroyed) socket.resetAndDestroy();
  };

  const server = createServer((client) => {
    times.push(Date.now());
    client.on('error', () => {});
    if (isCut) return reset(client);
    const upstream = connect({ host, port: targetPort });
    upstream.on('error', () => reset(client));
    client.on('error', () => reset(upstream));
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.on('close', () => open.delete(socket));
    }
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the proxy has no TCP address');

  return {
    port: address.port,
    url: `http://127.0.0.1:${address.port}`,
    connectionCount: () => times.length,
    connectionTimesMs: times,
    cut() {
      isCut = true;
      for (const socket of open) reset(socket);
    },
    restore() {
      isCut = false;
    },
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        isCut = true;
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      });
      return stopped;
    },
  };
}

function fromUrl(url: string): ProxyTarget {
  const parsed = new URL(url);
  const port = parsed.port !== '' ? Number(parsed.port) : parsed.protocol === 'https:' ? 443 : 80;
  return { host: parsed.hostname, port };
}
