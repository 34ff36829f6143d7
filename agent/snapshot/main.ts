/**
 * Entry of the agent's V8 startup snapshot (`dist/agent.blob`, built by scripts/build.ts): bundled
 * as one CommonJS script, run once by `node --snapshot-blob agent.blob --build-snapshot`, and the
 * heap it leaves behind — every agent module evaluated, see warm-up.ts — is what
 * `node --snapshot-blob agent.blob -- ARGS` starts from instead of reading, compiling and
 * evaluating the bundle. `dist/agent.sh` (agent.sh here) picks the blob or the plain bundle.
 *
 * Only the deserialize main touches the process: argv, env, cwd, stdout, signals are read when a
 * run starts, never while building (they would be frozen into the blob). Run as a plain script
 * (`node agent-snapshot.cjs ARGS`), the same file starts the agent directly.
 */
import { startupSnapshot } from 'node:v8';
import { exitSoon, exitWhenFlushed, processHost } from '../../cli/process-host.js';
import { runAgent } from '../run/run-agent.js';
import { warmUp, type Rehearsal } from './warm-up.js';

function main(args: readonly string[], fromSnapshot: boolean): void {
  runAgent(args, { ...processHost(), fromSnapshot }).then(exitWhenFlushed, (error: unknown) => {
    // runAgent reports every expected failure itself; this is a bug. Its class only: no data.
    process.stderr.write(`vault-injector agent: unexpected error (${error instanceof Error ? error.name : typeof error})\n`);
    exitSoon(1);
  });
}

if (startupSnapshot.isBuildingSnapshot()) {
  // `node --snapshot-blob B -- ARGS` leaves argv as [node, ...ARGS]: no script path.
  startupSnapshot.setDeserializeMainFunction(() => main(process.argv.slice(1), true));
  // build-snapshot.ts runs the rehearsal's made-up Vault and passes the rehearsal (rehearsal.ts) as
  // JSON after the script (`--build-snapshot agent-snapshot.cjs REHEARSAL`); nothing keeps it.
  const rehearsal = process.argv[2];
  if (rehearsal === undefined) throw new Error('agent snapshot: the rehearsal is missing (see build-snapshot.ts)');
  warmUp(JSON.parse(rehearsal) as Rehearsal).catch((error: unknown) => {
    // Fails the build: no blob is written.
    process.stderr.write(`agent snapshot: warm-up failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
} else {
  main(process.argv.slice(2), false);
}
