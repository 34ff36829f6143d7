/**
 * Carries out the lifecycle (lifecycle.ts) of one agent run: log in, render, re-render on
 * change; turn rounds, stop requests and the init deadline into events; on the first exit
 * decision stop rendering, optionally wait the revoke grace and revoke the token, stop the
 * store's and the auth manager's timers, and hand back the exit code.
 */
import type { Logger } from 'pino';
import type { AgentConfig } from '../../contract/agent-config/index.js';
import { serializeError } from '../observe/logger.js';
import type { RenderLoop, RenderRound } from '../render/render-loop.js';
import { TemplateState, allRenderedOnce, describeRequest, type TemplateStatus } from '../render/template-status.js';
import type { AgentComponents } from './agent-components.js';
import { decide, type LifecycleDecision, type LifecycleEvent } from './lifecycle.js';

/** A request to stop: a signal (SIGTERM, SIGINT) or the quit endpoint. */
export interface StopRequest {
  cause: 'signal' | 'quit';
  signal?: string;
}

export interface RunModeOptions {
  config: AgentConfig;
  logger: Logger;
  components: AgentComponents;
  loop: RenderLoop;
  /** Registers the listener for stop requests; called for each one. */
  onStop(listener: (request: StopRequest) => void): void;
}

export interface RunningMode {
  /** Logged in and every template rendered once; stays true from then on. */
  isReady(): boolean;
  /** The exit code, once the agent stopped. */
  readonly done: Promise<number>;
}

type ExitDecision = Extract<LifecycleDecision, { kind: 'exit' }>;

export function startMode(options: RunModeOptions): RunningMode {
  const { config, logger, components, loop } = options;
  const { auth, store } = components;
  const policy = { mode: config.mode, exitOnRetryFailure: config.templateConfig.exitOnRetryFailure, revokeOnShutdown: config.revokeOnShutdown, revokeGraceSeconds: config.revokeGraceSeconds };
  let loggedIn = false;
  let ready = false;
  let decided: ExitDecision | undefined;
  let onDecision: (decision: ExitDecision) => void = () => undefined;
  let onSecondStop: () => void = () => undefined;
  const decision = new Promise<ExitDecision>((resolveDecision) => (onDecision = resolveDecision));
  const secondStop = new Promise<void>((resolveStop) => (onSecondStop = resolveStop));

  const dispatch = (event: LifecycleEvent): void => {
    if (decided !== undefined) return;
    const next = decide(policy, event);
    if (next.kind === 'exit') onDecision((decided = next));
  };

  let announced = false;
  loop.onRound((round) => {
    if (!announced && round.allRenderedOnce) {
      announced = true;
      logger.info({ templates: config.templates.length }, 'every template rendered');
    }
    dispatch(roundEvent(round));
  });
  options.onStop((request) => {
    if (decided === undefined) dispatch({ kind: 'stop', ...request });
    else onSecondStop();
  });
  const initTimer =
    config.mode === 'init'
      ? setTimeout(() => dispatch({ kind: 'init-timeout', timeoutMs: config.templateConfig.initTimeoutMs }), config.templateConfig.initTimeoutMs)
      : undefined;

  auth.onFatal((error) => {
    const err = serializeError(error);
    dispatch({ kind: 'fatal', reason: `login to Vault failed and auth.exitOnError is set (${String(err['message'] ?? err['code'] ?? err['type'])})` });
  });
  auth.firstLogin().then(
    () => {
      loggedIn = true;
      if (decided !== undefined) return;
      logger.info({ templates: config.templates.length }, 'logged in to Vault; rendering templates');
      loop.watch();
      loop.renderAll().catch((error: unknown) => dispatch({ kind: 'fatal', reason: `rendering failed unexpectedly (${String(serializeError(error)['type'])})` }));
    },
    (error: unknown) => {
      const err = serializeError(error);
      dispatch({ kind: 'fatal', reason: `login to Vault failed and auth.exitOnError is set (${String(err['message'] ?? err['code'] ?? err['type'])})` });
    },
  );

  const done = decision.then(async (exit) => {
    clearTimeout(initTimer);
    if (exit.reportUnrendered) reportUnrendered(loop.statuses(), loggedIn ? undefined : (auth.lastFailure() ?? 'no answer yet'), logger);
    const log = exit.code === 0 ? logger.info.bind(logger) : logger.error.bind(logger);
    log({ mode: config.mode, exitCode: exit.code, reason: exit.reason }, exit.code === 0 ? 'agent stopping' : 'agent giving up');
    await loop.stop();
    if (exit.revoke && loggedIn) await revokeAfterGrace(exit.graceMs, secondStop, components, logger);
    await Promise.allSettled([store.stop(), auth.stop()]);
    return exit.code;
  });

  return { isReady: () => (ready ||= loggedIn && allRenderedOnce(loop.statuses())), done };
}

function roundEvent(round: RenderRound): LifecycleEvent {
  return {
    kind: 'round',
    complete: round.complete,
    failed: round.failures.filter((status) => status.state === TemplateState.failed).length,
    waiting: round.failures.filter((status) => status.state !== TemplateState.failed).length,
    commandFailures: round.commandFailures.length,
  };
}

/** One line per template whose file is not current, saying why: what the init timeout reports. */
function reportUnrendered(statuses: readonly TemplateStatus[], loginProblem: string | undefined, logger: Logger): void {
  for (const status of statuses) {
    if (status.state === TemplateState.rendered) continue;
    const reason = loginProblem !== undefined ? `not logged in to Vault: ${loginProblem}` : unrenderedReason(status);
    logger.error({ template: status.name, destination: status.destination, reason }, 'secret not rendered');
  }
}

function unrenderedReason(status: TemplateStatus): string {
  if (status.state === TemplateState.failed) return status.reason ?? 'failed';
  const waitingFor = status.missing.map(describeRequest).join(', ');
  if (waitingFor === '') return status.reason ?? 'not rendered yet';
  return `waiting for Vault to answer ${waitingFor}${status.reason === undefined ? '' : ` (${status.reason})`}`;
}

async function revokeAfterGrace(graceMs: number, secondStop: Promise<void>, components: AgentComponents, logger: Logger): Promise<void> {
  if (graceMs > 0) {
    logger.info({ graceMs }, 'revoking the token after the grace period (a second stop signal revokes now)');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([new Promise((resolveWait) => (timer = setTimeout(resolveWait, graceMs))), secondStop]);
    clearTimeout(timer);
  }
  try {
    await components.auth.tokens.revokeSelf();
    logger.info('revoked the token and its leases');
  } catch (error) {
    logger.warn({ err: error }, 'revoking the token failed; it and its leases expire on their own');
  }
}
