/**
 * What the agent's startup snapshot holds ready (agent/snapshot/main.ts). V8 keeps the bytecode
 * of every function that ran while the snapshot was built, and a function that did not run is
 * compiled at its first call in every pod; so the build rehearses a whole init run:
 *
 * - the modules of a run are evaluated (the AgentConfig's zod schemas built, pino loaded, the go
 *   engine);
 * - `runAgent` runs once, in init mode at trace level, with the config in a made-up environment,
 *   a token file and destinations in a temporary directory (removed after), logs to nowhere, and
 *   the real auth manager, secret store and Vault client over an in-memory Vault: a go template
 *   rendered and written, the token sink written;
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
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { AGENT_CONFIG_ENV_VAR, type AgentConfigInput } from '../../contract/agent-config/index.js';
import { runAgent } from '../run/run-agent.js';
import type { HttpTransport, TransportRequest, TransportResponse } from '../vault/http-transport.js';

const TOKEN = 'hvs.warm-up-token';

/** The made-up Vault: answers what an init run with a KV v2 secret asks. */
const ANSWERS: Record<string, unknown> = {
  'GET /v1/auth/token/lookup-self': { data: { id: TOKEN, accessor: 'warm-up', ttl: 3_600, renewable: true, policies: ['default'] } },
  'GET /v1/sys/internal/ui/mounts/kv/app': { data: { path: 'kv/', type: 'kv', options: { version: '2' } } },
  'GET /v1/kv/data/app': {
    request_id: 'warm-up',
    lease_id: '',
    lease_duration: 0,
    renewable: false,
    data: { data: { username: 'warm-up', password: 'warm-up' }, metadata: { created_time: '2020-01-01T00:00:00Z', version: 1 } },
  },
};

function inMemoryVault(): HttpTransport {
  return {
    async send(request: TransportRequest): Promise<TransportResponse> {
      const answer = ANSWERS[`${request.method} ${request.path}`];
      return answer === undefined ? { status: 404, body: '{"errors":[]}' } : { status: 200, body: JSON.stringify(answer) };
    },
    close: async () => undefined,
  };
}

function rehearsalConfig(): AgentConfigInput {
  return {
    version: 1,
    mode: 'init',
    vault: { address: 'http://vault.invalid:8200' },
    auth: { method: 'token_file', tokenFilePath: '/token' },
    sinks: [{ path: '/home/vault/.vault-token' }],
    templates: [
      { name: 'go', destination: '/secrets/go', engine: 'go', perms: 0o640, contents: '{{ with secret "kv/app" }}{{ range $k, $v := .Data }}{{ $k }}: {{ $v }}\n{{ end }}{{ end }}' },
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
  const { createComponents } = await import('../run/create-components.js');
  const dir = await mkdtemp(join(tmpdir(), 'agent-warm-up-'));
  try {
    await writeFile(join(dir, 'token'), TOKEN, { mode: 0o600 });
    const problems: string[] = [];
    const code = await runAgent(['--root-dir', dir], {
      env: { [AGENT_CONFIG_ENV_VAR]: JSON.stringify(rehearsalConfig()) },
      cwd: dir,
      stdout: () => undefined,
      stderr: (text) => void problems.push(text),
      onStopSignal: () => undefined,
      logDestination: new Writable({ write: (_chunk, _encoding, done) => done() }),
      createComponents: (config, logger) => createComponents(config, logger, { transport: inMemoryVault }),
    });
    if (code !== 0) throw new Error(`the rehearsed init run exited ${code}: ${problems.join('')}`);
  } finally {
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
