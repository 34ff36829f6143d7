/**
 * The Vault that the snapshot's rehearsed init run (warm-up.ts) talks to: a loopback HTTP/1.1
 * server answering what an init run with two KV v2 secrets asks. The build runs it in its own
 * process (build-snapshot.ts) and hands its address to the snapshot process: a listening server
 * in the snapshot process would leave Node's server and cluster modules in the blob, ~200 KB that
 * every start deserializes (~2 ms) for an agent that never listens at start.
 *
 * Every answer closes its connection: a kept-alive one would wait in the agent's pool on an
 * unref'd idle timer, and Node keeps the emptied list of an unref'd timer until it expires. Left
 * in the blob, that stale list makes Node believe a timer is already scheduled, so no later timer
 * of a run is (a sidecar then exits after its first render: test/integration/agent-snapshot.test.ts).
 */
import { createServer, type AddressInfo } from 'node:net';

export const MADE_UP_TOKEN = 'hvs.warm-up-token';

const ANSWERS: Readonly<Record<string, unknown>> = {
  'GET /v1/auth/token/lookup-self': { data: { id: MADE_UP_TOKEN, accessor: 'warm-up', ttl: 3_600, renewable: true, policies: ['default'] } },
  'GET /v1/sys/internal/ui/mounts/kv/app': { data: { path: 'kv/', type: 'kv', options: { version: '2' } } },
  'GET /v1/kv/data/app': kvAnswer({ username: 'warm-up', password: 'warm-up' }),
  'GET /v1/kv/data/db': kvAnswer({ url: 'postgres://warm-up', port: 5432 }),
};

function kvAnswer(data: Record<string, unknown>): unknown {
  return { request_id: 'warm-up', lease_id: '', lease_duration: 0, renewable: false, data: { data, metadata: { created_time: '2020-01-01T00:00:00Z', version: 1 } } };
}

export interface MadeUpVault {
  /** `http://127.0.0.1:<port>` */
  address: string;
  /** Requests answered so far, as `METHOD /path`. */
  requests: string[];
  close(): Promise<void>;
}

export async function startMadeUpVault(): Promise<MadeUpVault> {
  const requests: string[] = [];
  const server = createServer((socket) => {
    let pending = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      pending += chunk;
      let end: number;
      while ((end = pending.indexOf('\r\n\r\n')) !== -1) {
        const [method, path] = pending.slice(0, pending.indexOf(' HTTP/')).split(' ');
        pending = pending.slice(end + 4);
        requests.push(`${method} ${path}`);
        const answer = ANSWERS[`${method} ${path}`];
        const body = answer === undefined ? '{"errors":[]}' : JSON.stringify(answer);
        const status = answer === undefined ? '404 Not Found' : '200 OK';
        socket.end(`HTTP/1.1 ${status}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
      }
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolveListen, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolveListen));
  const { port } = server.address() as AddressInfo;
  return {
    address: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolveClose) => server.close(() => resolveClose())),
  };
}
