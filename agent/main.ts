/**
 * The agent process: `node dist/agent.js [--config FILE] [--root-dir DIR]` in the release image,
 * or `vault-injector agent …` through the CLI. The only agent module that touches the process:
 * argv, env, stdout/stderr, SIGTERM/SIGINT and the exit code.
 */
import { runAgent } from './run/run-agent.js';

const code = await runAgent(process.argv.slice(2), {
  env: process.env,
  cwd: process.cwd(),
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  onStopSignal(listener) {
    // Kubernetes stops containers with SIGTERM; a terminal sends SIGINT. vault-k8s only traps SIGINT.
    process.on('SIGTERM', () => listener('SIGTERM'));
    process.on('SIGINT', () => listener('SIGINT'));
  },
});
process.exitCode = code;
// Everything is closed by now; if some handle still holds the event loop, do not hang the pod.
setTimeout(() => process.exit(code), 1_000).unref();
