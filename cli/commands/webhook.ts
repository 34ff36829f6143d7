import { createAdmit } from '../../webhook/admit.js';
import { runWebhook } from '../../webhook/server/run-webhook.js';

/** `vault-injector webhook [flags]`: runs the admission webhook until SIGTERM or SIGINT. */
export function runWebhookCommand(args: string[], env: Readonly<Record<string, string | undefined>> = process.env): Promise<number> {
  return runWebhook(
    args,
    {
      env,
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
}
