/**
 * The webhook with admit's outcome memoized per request UID, for `run-bench.ts --admit memo`:
 * every request still goes through TLS, body parsing, the review checks, metrics, logging and
 * response shaping with a real-sized patch, but the admission decision is computed once. It
 * separates what the HTTP layer costs from what the decision costs.
 */
import type { AdmissionOutcome } from '../../webhook/admission-types.js';
import { createAdmit } from '../../webhook/admit.js';
import { runWebhook } from '../../webhook/server/run-webhook.js';

const code = await runWebhook(
  process.argv.slice(2),
  {
    env: process.env,
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    onStopSignal(listener) {
      process.on('SIGTERM', () => listener('SIGTERM'));
      process.on('SIGINT', () => listener('SIGINT'));
    },
  },
  (config) => {
    const admit = createAdmit(config);
    const memo = new Map<string, AdmissionOutcome>();
    return (request) => {
      let outcome = memo.get(request.uid);
      if (outcome === undefined) memo.set(request.uid, (outcome = admit(request)));
      return outcome;
    };
  },
);
process.exitCode = code;
