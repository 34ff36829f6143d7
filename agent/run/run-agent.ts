/**
 * The agent program, from command-line arguments to exit code: flags and config (every problem
 * printed, exit 2), templates compiled (exit 2 when one cannot be), endpoints listening (exit 1
 * when impossible), then the run mode until it decides to stop (run-mode.ts, exit codes in
 * agent-flags.ts's help).
 *
 * The process itself — argv, env, stdout/stderr, signal handlers, exiting — stays with the
 * caller (`agent/main.ts` or the CLI), which passes it in as an {@link AgentHost}.
 *
 * Logs are pino JSON lines on stdout, whatever `log.format` says: `standard` (vault-k8s's
 * default, hclog's text lines upstream) is accepted for compatibility and also written as JSON,
 * which is what log collectors parse; a text formatter would be one more thing to keep free of
 * secrets for no reader that needs it.
 */
import type { AgentConfig } from '../../contract/agent-config/index.js';
import { AgentMode } from '../../contract/agent-config/runtime.js';
import { formatMetrics } from '../observe/agent-metrics.js';
import { startAgentEndpoints, type RunningEndpoints } from '../observe/agent-endpoints.js';
import { createLogger, serializeError, type Logger } from '../observe/logger.js';
import { compileTemplates } from '../render/compile-templates.js';
import { createRenderLoop } from '../render/render-loop.js';
import type { AgentComponents, CreateComponents } from './agent-components.js';
import { agentHelp, parseAgentFlags, ROOT_DIR_ENV_VAR } from './agent-flags.js';
import { formatConfigErrors, loadAgentConfig } from './load-config.js';
import { startMode, type StopRequest } from './run-mode.js';

export interface AgentHost {
  env: Readonly<Record<string, string | undefined>>;
  /** For a relative `--root-dir`. */
  cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
  /** Registers `listener` for SIGTERM and SIGINT; it is called on every such signal. */
  onStopSignal(listener: (signal: string) => void): void;
  /** Where JSON log lines go; @default stdout */
  logDestination?: NodeJS.WritableStream;
  /** @default the real Vault client, auth manager, store and engines */
  createComponents?: CreateComponents;
  /** Interface of the health and metrics endpoints; @default all interfaces */
  endpointHost?: string;
  /** Called once the endpoints listen (tests read the bound ports from it). */
  onStarted?(endpoints: RunningEndpoints): void;
  /** Started from the V8 startup snapshot (agent/snapshot/); logged at start. @default false */
  fromSnapshot?: boolean;
}

export async function runAgent(args: readonly string[], host: AgentHost): Promise<number> {
  const parsed = parseAgentFlags(args, host.env);
  if (!parsed.ok) {
    host.stderr(`vault-injector agent: ${parsed.message}\nRun "vault-injector agent --help" for the options.\n`);
    return 2;
  }
  if (parsed.help) {
    host.stdout(agentHelp());
    return 0;
  }
  const loaded = await loadAgentConfig(parsed.flags, host.env, host.cwd);
  if (!loaded.ok) {
    host.stderr(`vault-injector agent: invalid configuration:\n${formatConfigErrors(loaded.errors)}\n`);
    return 2;
  }
  const { config, rootDir, source } = loaded;
  const logger = createLogger({ level: config.log.level, destination: host.logDestination });
  logger.info(
    {
      mode: config.mode,
      templates: config.templates.length,
      sinks: config.sinks.length,
      rootDir: rootDir ?? null,
      vault: config.vault.address,
      snapshot: host.fromSnapshot === true,
      // 'checked': the webhook's check of the config matched (contract/agent-config/config-check.ts).
      config: source,
    },
    'agent starting',
  );
  if (config.cache !== undefined) logger.warn('cache (the API proxy) is not supported by this agent and is ignored; templates still render');

  let components: AgentComponents;
  try {
    components = await (host.createComponents ?? loadRealComponents)(config, logger);
  } catch (error) {
    logger.fatal({ err: error }, 'agent failed to start');
    host.stderr(`vault-injector agent: cannot start: ${describe(error)}\n`);
    return 1;
  }
  const code = await runWith(config, rootDir, components, logger, host);
  await components.close().catch((error: unknown) => logger.warn({ err: error }, 'closing Vault connections failed'));
  logger.info({ exitCode: code }, 'agent stopped');
  return code;
}

async function runWith(config: AgentConfig, rootDir: string | undefined, components: AgentComponents, logger: Logger, host: AgentHost): Promise<number> {
  const stopEverything = (): Promise<unknown> => Promise.allSettled([components.store.stop(), components.auth.stop()]);
  // The first login started with the components: one turn of the event loop puts its request on
  // the wire, so Vault answers while every template is compiled (synchronous work, ~0.1 ms a
  // template at start) instead of after.
  await new Promise((resolveTurn) => setImmediate(resolveTurn));
  const compiled = await compileTemplates(config.templates, { loadEngine: components.loadEngine });
  if (!compiled.ok) {
    for (const problem of compiled.problems) logger.error(problem, 'template cannot be compiled');
    host.stderr(`vault-injector agent: invalid templates:\n${compiled.problems.map((p) => `  - ${p.template} (${p.destination}): ${p.reason}`).join('\n')}\n`);
    await stopEverything();
    return 2;
  }
  const env = rootDir === undefined ? host.env : { ...host.env, [ROOT_DIR_ENV_VAR]: rootDir };
  const loop = createRenderLoop({ templates: compiled.templates, store: components.store, logger, env, endsWhenComplete: config.mode === AgentMode.init });
  const stopListeners = new Set<(request: StopRequest) => void>();
  const requestStop = (request: StopRequest): void => stopListeners.forEach((listener) => listener(request));

  let isReady = (): boolean => false;
  let endpoints: RunningEndpoints;
  try {
    endpoints = await startAgentEndpoints({
      health: config.health,
      metrics: config.metrics,
      listener: config.listener,
      isReady: () => isReady(),
      metricsText: () => formatMetrics({ templates: loop.statuses, freshness: () => components.store.freshness(), auth: () => components.auth.stats() }),
      onQuit: () => {
        logger.info('quit requested on the agent API');
        requestStop({ cause: 'quit' });
      },
      logger,
      host: host.endpointHost,
    });
  } catch (error) {
    logger.fatal({ err: error }, 'an agent endpoint cannot listen');
    host.stderr(`vault-injector agent: cannot listen: ${describe(error)}\n`);
    await stopEverything();
    return 1;
  }
  host.onStarted?.(endpoints);
  const mode = startMode({ config, logger, components, loop, onStop: (listener) => stopListeners.add(listener) });
  isReady = mode.isReady;
  host.onStopSignal((signal) => {
    logger.info({ signal }, 'stop signal received');
    requestStop({ cause: 'signal', signal });
  });
  const code = await mode.done;
  await endpoints.close();
  return code;
}

/** The real components, loaded on use so `--help` and config errors stay fast. */
const loadRealComponents: CreateComponents = async (config, logger) => (await import('./create-components.js')).createComponents(config, logger);

function describe(error: unknown): string {
  const { message, code, type } = serializeError(error);
  return String(message ?? code ?? type);
}
