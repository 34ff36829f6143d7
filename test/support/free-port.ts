// Free TCP ports on loopback, found by letting the kernel pick one (listen on port 0).
import { createServer } from 'node:net';

const MAX_TRIES = 50;

/**
 * Returns a port that was free a moment ago, and with `count` > 1 the start of a run of `count`
 * consecutive free ports (OpenBao's dev server binds port and port + 1). Another process may still
 * take a port before the caller binds, so servers started on it should retry on "address in use".
 * @param host interface to probe; @default '127.0.0.1'
 * @param count consecutive ports needed; @default 1
 */
export async function getFreePort(host = '127.0.0.1', count = 1): Promise<number> {
  for (let i = 0; i < MAX_TRIES; i++) {
    const first = await listenAndRelease(host, 0);
    if (first + count - 1 > 65_535) continue;
    let allFree = true;
    for (let port = first + 1; port < first + count && allFree; port++) {
      allFree = await listenAndRelease(host, port).then(() => true, () => false);
    }
    if (allFree) return first;
  }
  throw new Error(`no run of ${count} free ports found on ${host}`);
}

function listenAndRelease(host: string, port: number): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port, host, exclusive: true }, () => {
      const address = server.address();
      server.close(() => {
        if (address === null || typeof address === 'string') reject(new Error(`no port read on ${host}`));
        else resolvePort(address.port);
      });
    });
  });
}
