/**
 * The webhook program, from command-line arguments to exit code: flags and environment to an
 * InjectorConfig (every problem printed, exit 2), TLS and listen (exit 1 when impossible), then
 * serving until a stop signal, then a bounded drain (exit 0; 1 if connections had to be cut):
 * not ready at once, still serving for a short delay after SIGTERM, then closed to new
 * connections while in-flight requests finish.
 *
 * The process itself (argv, env, signal handlers, exiting) stays with the caller, `webhook/main.ts`
 * or the CLI, which pass it in as a `WebhookHost`.
 */
import type { DestinationStream } from 'pino';
import type { Admit } from '../admission-types.js';
import { resolveInjectorConfig, type InjectorConfig } from '../injector-config.js';
import { createLogger } from './create-logger.js';
import { startWebhook, type RunningWebhook } from './start-webhook.js';
import { TlsLoadError } from './tls-pair.js';
import { parseWebhookFlags, webhookHelp } from './webhook-flags.js';

/**
 * How long a drain may take. In-flight admissions take milliseconds; the bound only matters for
 * a stuck client, and stays well inside Kubernetes' default 30 s termination grace period.
 */
export const SHUTDOWN_TIMEOUT_MS = 10_000;

/**
 * How long the webhook keeps serving after SIGTERM, reporting not ready, before it stops
 * listening. Kubernetes sends SIGTERM while it removes the pod from the Service's endpoints, and
 * that removal reaches the API server's path to the webhook a moment later: a listener closed at
 * once would refuse connections meanwhile, and under `failurePolicy: Ignore` those pods would be
 * created without their agent. SIGINT (a person at a terminal) stops without the delay.
 */
export const SIGTERM_DRAIN_DELAY_MS = 2_000;

export interface WebhookHost {
  env: Readonly<Record<string, string | undefined>>;
  stdout(text: string): void;
  stderr(text: string): void;
  /** Registers `listener` for SIGTERM and SIGINT; it is called on every such signal. */
  onStopSignal(listener: (signal: string) => void): void;
  /** Where JSON log lines go; @default stdout */
  logDestination?: DestinationStream;
  /** Called once the server listens (tests read the bound URL from it). */
  onListening?(webhook: RunningWebhook): void;
  /** @default SIGTERM_DRAIN_DELAY_MS */
  sigtermDrainDelayMs?: number;
}

export type CreateAdmit = (config: InjectorConfig) => Admit;

export async function runWebhook(args: readonly string[], host: WebhookHost, createAdmit: CreateAdmit): Promise<number> {
  const parsed = parseWebhookFlags(args);
  if (!parsed.ok) {
    host.stderr(`vault-injector webhook: ${parsed.message}\nRun "vault-injector webhook --help" for the flags.\n`);
    return 2;
  }
  if (parsed.help) {
    host.stdout(`${webhookHelp()}\n`);
    return 0;
  }
  const resolved = resolveInjectorConfig(parsed.flags, host.env);
  if (!resolved.ok) {
    host.stderr(`vault-injector webhook: invalid configuration:\n${resolved.errors.map((e) => `  - ${e}`).join('\n')}\n`);
    return 2;
  }
  const { config } = resolved;
  const logger = createLogger(config, host.logDestination);

  let webhook: RunningWebhook;
  try {
    webhook = await startWebhook({ config, admit: createAdmit(config), logger });
  } catch (error) {
    const code = error instanceof TlsLoadError ? error.code : (error as NodeJS.ErrnoException).code;
    const reason = error instanceof Error ? error.message : String(error);
    logger.fatal({ code, reason }, 'webhook failed to start');
    host.stderr(`vault-injector webhook: cannot start: ${reason}\n`);
    return 1;
  }

  const pair = webhook.tlsPair();
  logger.info(
    { url: webhook.url, telemetryPath: config.telemetryPath ?? null, tlsMinVersion: config.tlsMinVersion, certificate: pair.fingerprint256, notAfter: pair.notAfter.toISOString() },
    'webhook listening',
  );
  host.onListening?.(webhook);

  let onSecondSignal: () => void = () => undefined;
  const secondSignal = new Promise<void>((resolveSecond) => (onSecondSignal = resolveSecond));
  const firstSignal = await new Promise<string>((resolveSignal) => {
    let signals = 0;
    host.onStopSignal((signal) => {
      signals += 1;
      if (signals === 1) return resolveSignal(signal);
      logger.warn({ signal }, 'second stop signal: closing all connections now');
      onSecondSignal();
      webhook.forceClose();
    });
  });
  const delayMs = firstSignal === 'SIGTERM' ? (host.sigtermDrainDelayMs ?? SIGTERM_DRAIN_DELAY_MS) : 0;
  webhook.markNotReady();
  if (delayMs > 0) {
    logger.info({ signal: firstSignal, delayMs }, 'stopping: not ready, still serving while endpoints are updated');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([new Promise((r) => (timer = setTimeout(r, delayMs))), secondSignal]);
    clearTimeout(timer);
  }
  logger.info({ signal: firstSignal, timeoutMs: SHUTDOWN_TIMEOUT_MS }, 'stopping: closed to new connections, draining in-flight requests');
  const { forced } = await webhook.close(SHUTDOWN_TIMEOUT_MS);
  if (forced) logger.warn('drain timed out; open connections were closed');
  logger.info({ forced }, 'webhook stopped');
  return forced ? 1 : 0;
}
