/**
 * What the agent's startup snapshot holds ready (agent/snapshot/main.ts). V8 keeps the bytecode
 * of every function that ran while the snapshot was built, and a function that did not run is
 * compiled at its first call in every pod; so the build rehearses a whole init run:
 *
 * - the modules of a run are evaluated (the AgentConfig's zod schemas built, pino loaded, the go
 *   engine);
 * - `runAgent` runs once, in init mode at trace level, with the config in a made-up environment,
 *   a token file and destinations in a temporary directory (removed after), logs to nowhere, and
 *   the real auth manager, secret store, Vault client and socket transport, against a made-up
 *   Vault on a loopback port of the building process: two secrets fetched over two connections,
 *   vault-k8s's `map` and `json` templates rendered and written, the token sink written. (With an
 *   in-memory transport instead, connecting, writing and reading a socket were compiled at the
 *   first request of every start: ~2-3 ms.);
 * - the socket transport's response parser reads made-up answers.
 *
 * Not the handlebars engine: handlebars (and yaml, for its helpers) would add ~450 KB to the heap
 * every start deserializes (~3 ms), for templates that few agents have (vault-k8s's default engine
 * is go). An agent with handlebars templates evaluates and compiles it at its first use, as
 * agent.js does.
 *
 * Nothing of the machine that builds may be kept: the run gets its own environment object (the
 * process's is never read), no signal handler, and leaves no timer, socket or file behind (the
 * build fails otherwise: Node waits for the event loop to empty before writing the blob). The
 * clock and Math.random are used on the way, as any run uses them, but nothing keeps their values:
 * every object of the rehearsal is dropped, and V8 re-seeds Math.random at every start.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { AGENT_CONFIG_ENV_VAR, type AgentConfigInput } from '../../contract/agent-config/index.js';
import { runAgent } from '../run/run-agent.js';

const TOKEN = 'hvs.warm-up-token';

/** The made-up Vault: answers what an init run with two KV v2 secrets asks. */
const ANSWERS: Record<string, unknown> = {
  'GET /v1/auth/token/lookup-self': { data: { id: TOKEN, accessor: 'warm-up', ttl: 3_600, renewable: true, policies: ['default'] } },
  'GET /v1/sys/internal/ui/mounts/kv/app': { data: { path: 'kv/', type: 'kv', options: { version: '2' } } },
  'GET /v1/kv/data/app': kvAnswer({ username: 'warm-up', password: 'warm-up' }),
  'GET /v1/kv/data/db': kvAnswer({ url: 'postgres://warm-up', port: 5432 }),
};

function kvAnswer(data: Record<string, unknown>): unknown {
  return { request_id: 'warm-up', lease_id: '', lease_duration: 0, renewable: false, data: { data, metadata: { created_time: '2020-01-01T00:00:00Z', version: 1 } } };
}

/**
 * The made-up Vault on a loopback port: the socket transport's path runs (connect, write, parse).
 * Every answer closes its connection: a kept-alive one would wait in the pool on an unref'd idle
 * timer, and Node keeps the emptied list of an unref'd timer until it expires. Left in the blob,
 * that stale list makes Node believe a timer is already scheduled, so no later timer of a run is
 * (a sidecar then exits after its first render: test/integration/agent-snapshot.test.ts).
 */
async function loopbackVault(): Promise<{ address: string; close(): Promise<void> }> {
  const server = createServer((socket) => {
    let pending = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      pending += chunk;
      let end: number;
      while ((end = pending.indexOf('\r\n\r\n')) !== -1) {
        const [method, path] = pending.slice(0, pending.indexOf(' HTTP/')).split(' ');
        pending = pending.slice(end + 4);
        const answer = ANSWERS[`${method} ${path}`];
        const body = answer === undefined ? '{"errors":[]}' : JSON.stringify(answer);
        socket.write(`HTTP/1.1 ${answer === undefined ? '404 Not Found' : '200 OK'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
      }
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    address: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function rehearsalConfig(vaultAddress: string): AgentConfigInput {
  return {
    version: 1,
    mode: 'init',
    vault: { address: vaultAddress },
    auth: { method: 'token_file', tokenFilePath: '/token' },
    sinks: [{ path: '/home/vault/.vault-token' }],
    templates: [
      // vault-k8s's two default templates (map and json), on two secrets fetched at once.
      { name: 'map', destination: '/secrets/map', engine: 'go', perms: 0o640, contents: '{{ with secret "kv/app" }}{{ range $k, $v := .Data }}{{ $k }}: {{ $v }}\n{{ end }}{{ end }}' },
      { name: 'json', destination: '/secrets/json', engine: 'go', contents: '{{ with secret "kv/db" }}{{ .Data | toJSON }}{{ end }}' },
    ],
    log: { level: 'trace', format: 'json' },
  };
}

export async function warmUp(): Promise<void> {
  await Promise.all([
    import('../run/create-components.js'),
    import('../templates/go/go-engine.js'),
  ]);
  await rehearseInitRun();
  await readAnswers();
}

async function rehearseInitRun(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'agent-warm-up-'));
  const vault = await loopbackVault();
  try {
    await writeFile(join(dir, 'token'), TOKEN, { mode: 0o600 });
    const problems: string[] = [];
    const code = await runAgent(['--root-dir', dir], {
      env: { [AGENT_CONFIG_ENV_VAR]: JSON.stringify(rehearsalConfig(vault.address)) },
      cwd: dir,
      stdout: () => undefined,
      stderr: (text) => void problems.push(text),
      onStopSignal: () => undefined,
      logDestination: new Writable({ write: (_chunk, _encoding, done) => done() }),
    });
    if (code !== 0) throw new Error(`the rehearsed init run exited ${code}: ${problems.join('')}`);
  } finally {
    await vault.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function readAnswers(): Promise<void> {
  const { ResponseParser } = await import('../vault/socket-transport.js');
  const answers = [
    'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}',
    'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n',
  ];
  for (const answer of answers) {
    if (new ResponseParser().push(Buffer.from(answer))?.status !== 200) throw new Error('the response parser did not read a made-up answer');
  }
}
