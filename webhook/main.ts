/**
 * The webhook process: `node dist/webhook.js [flags]` in the release image, or
 * `vault-injector webhook [flags]` through the CLI. The only webhook module that touches the
 * process: argv, env, stdout/stderr, SIGTERM/SIGINT and the exit code.
 */
import { exitSoon, processHost } from '../cli/process-host.js';
import { createAdmit } from './admit.js';
import { runWebhook } from './server/run-webhook.js';

exitSoon(await runWebhook(process.argv.slice(2), processHost(), createAdmit));
