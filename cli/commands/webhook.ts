import { createAdmit } from '../../webhook/admit.js';
import { runWebhook } from '../../webhook/server/run-webhook.js';
import { processHost } from '../process-host.js';

/** `vault-injector webhook [flags]`: runs the admission webhook until SIGTERM or SIGINT. */
export function runWebhookCommand(args: string[], env: Readonly<Record<string, string | undefined>> = process.env): Promise<number> {
  return runWebhook(args, processHost(env), createAdmit);
}
