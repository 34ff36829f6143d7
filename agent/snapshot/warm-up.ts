/**
 * What the agent's startup snapshot holds ready (agent/snapshot/main.ts). V8 keeps the bytecode
 * of every function that ran while the snapshot was built, and a function that did not run is
 * compiled at its first call in every pod; so the build rehearses a whole init run:
 *
 * - the modules of a run are evaluated (the AgentConfig's zod schemas built, pino loaded, the go
 *   engine);
 * - `runAgent` runs once, in init mode at trace level, with the config in a made-up environment,
 *   a token file and destinations in a temporary directory (removed after), logs to nowhere, and
 *   the real auth manager, secret store, Vault client and socket transport, against the made-up
 *   Vault that the build runs in its own process (made-up-vault.ts): two secrets fetched at once,
 *   vault-k8s's `map` and `json` templates rendered and written, the token sink written. (With an in-memory transport instead, connecting, writing and reading a socket were
 *   compiled at the first request of every start: ~2-3 ms.);
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
import { runAgent } from '../run/run-agent.js';

/** A rehearsal (made by rehearsal.ts in the build process): the config's environment variables, as the webhook sets them, and the token. */
export interface Rehearsal {
  env: Record<string, string>;
  token: string;
}

export async function warmUp(rehearsal: Rehearsal): Promise<void> {
  await Promise.all([
    import('../run/create-components.js'),
    import('../templates/go/go-engine.js'),
  ]);
  await rehearseInitRun(rehearsal);
  await readAnswers();
}

async function rehearseInitRun(rehearsal: Rehearsal): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'agent-warm-up-'));
  try {
    await writeFile(join(dir, 'token'), rehearsal.token, { mode: 0o600 });
    const problems: string[] = [];
    const lines: string[] = [];
    const code = await runAgent(['--root-dir', dir], {
      env: { ...rehearsal.env },
      cwd: dir,
      stdout: () => undefined,
      stderr: (text) => void problems.push(text),
      onStopSignal: () => undefined,
      logDestination: new Writable({
        write: (chunk: Buffer, _encoding, done) => {
          lines.push(chunk.toString('utf8'));
          done();
        },
      }),
    });
    if (code !== 0) throw new Error(`the rehearsed init run exited ${code}: ${problems.join('')}`);
    // Validating would have evaluated zod and the schema, which would then sit in every start's heap.
    const starting = lines.find((line) => line.includes('"msg":"agent starting"')) ?? '(no "agent starting" line)';
    if (!starting.includes('"config":"checked"')) throw new Error(`the rehearsed init run did not take its config as checked by the webhook: ${starting}`);
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
