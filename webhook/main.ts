/**
 * The webhook process: `node dist/webhook.js [flags]` in the release image, or
 * `vault-injector webhook [flags]` through the CLI. The only webhook module that touches the
 * process: argv, env, stdout/stderr, SIGTERM/SIGINT and the exit code.
 */
import { createAdmit } from './admit.js';
import { runWebhook } from './server/run-webhook.js';

const code = await runWebhook(
  process.argv.slice(2),
  {
    env: process.env,
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    onStopSignal(listener) {
      // Kubernetes stops pods with SIGTERM; a terminal sends SIGINT. vault-k8s only traps SIGINT.
      process.on('SIGTERM', () => listener('SIGTERM'));
      process.on('SIGINT', () => listener('SIGINT'));
    },
  },
  createAdmit,
);
process.exitCode = code;
// Everything is closed by now; if some handle still holds the event loop, do not hang the pod.
setTimeout(() => process.exit(code), 1_000).unref();
