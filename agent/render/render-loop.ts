/**
 * The render loop: every round renders all templates (with dependency discovery), writes the
 * files whose bytes changed, tells the store what to keep refreshing, then runs the commands of
 * the changed templates. A store change starts a new round after a short debounce, so a burst of
 * changes (several leases rotated together) renders once. Rounds never overlap; calls during a
 * round coalesce into one more round.
 *
 * A failing render, write or command never touches the previous file: the failure is recorded in
 * the template's status and reported to the round's listeners, which decide (run modes) whether
 * the agent exits.
 */
import type { Logger } from 'pino';
import { serializeError } from '../observe/logger.js';
import type { SecretStore } from '../secrets/secret-store.js';
import { secretRequestKey, type SecretRequest } from '../templates/template-engine.js';
import type { PreparedTemplate } from './compile-templates.js';
import { renderWithDiscovery, type TemplateResult } from './render-with-discovery.js';
import { planCommands, runTemplateCommand, type CommandResult, type CommandRunner } from './template-commands.js';
import { TemplateState, allRenderedOnce, describeRequest, initialStatus, type TemplateStatus } from './template-status.js';
import { writeTemplateFile } from './write-template-file.js';

/** Changes closer together than this render once. */
export const DEFAULT_RENDER_DEBOUNCE_MS = 100;

export interface RenderLoopOptions {
  templates: readonly PreparedTemplate[];
  store: SecretStore;
  logger: Logger;
  /** The agent's environment: for the `env` template helper and for commands. */
  env: Readonly<Record<string, string | undefined>>;
  /** @default runTemplateCommand */
  runCommand?: CommandRunner;
  /** @default Date.now */
  now?: () => number;
  /** @default DEFAULT_RENDER_DEBOUNCE_MS */
  debounceMs?: number;
  /** @default MAX_DISCOVERY_PASSES */
  maxPasses?: number;
  /**
   * A complete round ends the run (init mode): the store is then not asked to keep that round's
   * secrets fresh, which would only start a refresher per secret to stop at once (~4 ms for 50
   * templates). An incomplete round still tracks them: failed secrets are re-fetched. @default false
   */
  endsWhenComplete?: boolean;
}

export interface CommandFailure {
  templates: string[];
  result: CommandResult;
}

/** What one round did. */
export interface RenderRound {
  /** Every template rendered in this round (its file is current; a failed command does not count). */
  complete: boolean;
  /** Every template has rendered at least once, in this round or before. */
  allRenderedOnce: boolean;
  /** Names of the templates whose file got new content. */
  written: string[];
  /** Statuses of the templates that did not render in this round (failed or waiting). */
  failures: TemplateStatus[];
  /** Commands that failed; their templates' files were written. */
  commandFailures: CommandFailure[];
}

export interface RenderLoop {
  /** Runs a round (or joins the one queued) and resolves with what it did. */
  renderAll(): Promise<RenderRound>;
  /** From now on, a store change starts a round (debounced). */
  watch(): void;
  statuses(): readonly TemplateStatus[];
  /** Called after every round. Returns an unsubscribe. */
  onRound(listener: (round: RenderRound) => void): () => void;
  /** No more rounds; waits for file writes and commands in progress (not for fetches). */
  stop(): Promise<void>;
}

export function createRenderLoop(options: RenderLoopOptions): RenderLoop {
  const { templates, store, logger, env } = options;
  const runCommand = options.runCommand ?? runTemplateCommand;
  const now = options.now ?? Date.now;
  const debounceMs = options.debounceMs ?? DEFAULT_RENDER_DEBOUNCE_MS;
  const statuses = templates.map((t) => initialStatus(t.config.name, t.config.destination));
  const listeners = new Set<(round: RenderRound) => void>();
  let stopped = false;
  let unsubscribe: (() => void) | undefined;
  let debounce: NodeJS.Timeout | undefined;
  let chain: Promise<unknown> = Promise.resolve();
  let queued: Promise<RenderRound> | undefined;
  let writing: Promise<unknown> = Promise.resolve();

  async function round(): Promise<RenderRound> {
    const onWaiting = (index: number, missing: readonly SecretRequest[]): void => void ((statuses[index] as TemplateStatus).missing = [...missing]);
    const results = await renderWithDiscovery(templates, store, { env: { env }, maxPasses: options.maxPasses, onWaiting });
    if (stopped) return { complete: false, allRenderedOnce: allRenderedOnce(statuses), written: [], failures: [], commandFailures: [] };
    const work = writeAndRunCommands(results);
    writing = work.catch(() => undefined);
    const result = await work;
    for (const listener of listeners) listener(result);
    return result;
  }

  async function writeAndRunCommands(results: TemplateResult[]): Promise<RenderRound> {
    const written = await Promise.all(results.map((result, index) => applyResult(index, result)));
    // Commands do not change a template's state: this is the round's `complete`.
    const complete = statuses.every((status) => status.state === TemplateState.rendered);
    if (!(options.endsWhenComplete === true && complete)) store.track(trackedRequests(results));
    const changed = templates.filter((_, index) => written[index]).map((t) => t.config);
    const commandFailures: CommandFailure[] = [];
    for (const planned of planCommands(changed)) {
      const result = await runCommand(planned.command, { env });
      const fields = { templates: planned.templates, exitCode: result.exitCode, signal: result.signal, timedOut: result.timedOut, durationMs: result.durationMs, spawnError: result.spawnError };
      if (result.ok) {
        logger.info(fields, 'template command finished');
        continue;
      }
      logger.error(fields, 'template command failed; the file keeps its new content');
      commandFailures.push({ templates: planned.templates, result });
      // The file is current (state stays rendered); the failure shows in the error count.
      for (const status of statuses.filter((s) => planned.templates.includes(s.name))) {
        status.consecutiveErrors += 1;
        status.reason = describeCommandFailure(result);
      }
    }
    const failures = statuses.filter((status) => status.state !== TemplateState.rendered).map((status) => ({ ...status }));
    return {
      complete,
      allRenderedOnce: allRenderedOnce(statuses),
      written: changed.map((t) => t.name),
      failures,
      commandFailures,
    };
  }

  /** Records a template's result, writing its file when rendered; true when the file changed. */
  async function applyResult(index: number, result: TemplateResult): Promise<boolean> {
    const template = (templates[index] as PreparedTemplate).config;
    const status = statuses[index] as TemplateStatus;
    const fields = { template: template.name, destination: template.destination };
    status.requests = result.kind === 'rendered' ? result.used : mergeRequests(result.requested, status.requests);
    status.missing = result.kind === 'waiting' ? result.missing : [];
    if (result.kind !== 'rendered') {
      status.state = result.kind === 'failed' ? TemplateState.failed : TemplateState.waiting;
      status.consecutiveErrors += 1;
      status.reason = result.reason;
      const waitingFor = status.missing.map(describeRequest);
      logger.warn({ ...fields, reason: result.reason, ...(waitingFor.length > 0 ? { waitingFor } : {}) }, 'template not rendered; its file keeps its previous content');
      return false;
    }
    try {
      const outcome = await writeTemplateFile(template, result.content);
      const at = now();
      Object.assign(status, { state: TemplateState.rendered, lastRenderMs: at, consecutiveErrors: 0, reason: undefined });
      if (outcome === 'written') {
        status.lastWriteMs = at;
        logger.info(fields, 'rendered template');
      } else {
        logger.debug(fields, 'template unchanged; file not rewritten');
      }
      return outcome === 'written';
    } catch (error) {
      const err = serializeError(error);
      Object.assign(status, { state: TemplateState.failed, consecutiveErrors: status.consecutiveErrors + 1 });
      status.reason = `writing the file failed (${String(err['code'] ?? err['type'])})`;
      logger.error({ ...fields, err: error }, 'writing the template file failed; the previous file is untouched');
      return false;
    }
  }

  /** What the store keeps refreshing: what rendered templates used, and what failing ones asked for. */
  function trackedRequests(results: readonly TemplateResult[]): SecretRequest[] {
    const all = new Map<string, SecretRequest>();
    results.forEach((result, index) => {
      const requests = result.kind === 'rendered' ? result.used : (statuses[index] as TemplateStatus).requests;
      for (const request of requests) all.set(secretRequestKey(request), request);
    });
    return [...all.values()];
  }

  function renderAll(): Promise<RenderRound> {
    if (queued !== undefined) return queued;
    const next = chain.then(() => {
      queued = undefined;
      return round();
    });
    queued = next;
    chain = next.catch(() => undefined);
    return next;
  }

  function scheduleRound(): void {
    if (stopped || debounce !== undefined) return;
    debounce = setTimeout(() => {
      debounce = undefined;
      if (!stopped) renderAll().catch((error: unknown) => logger.error({ err: error }, 'render round failed'));
    }, debounceMs);
  }

  return {
    renderAll,
    watch() {
      unsubscribe ??= store.onChange(scheduleRound);
    },
    statuses: () => statuses,
    onRound(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async stop() {
      stopped = true;
      unsubscribe?.();
      clearTimeout(debounce);
      await writing;
    },
  };
}

function mergeRequests(a: readonly SecretRequest[], b: readonly SecretRequest[]): SecretRequest[] {
  const all = new Map<string, SecretRequest>();
  for (const request of [...a, ...b]) all.set(secretRequestKey(request), request);
  return [...all.values()];
}

function describeCommandFailure(result: CommandResult): string {
  if (result.spawnError !== undefined) return `command could not start (${result.spawnError})`;
  if (result.timedOut) return `command timed out after ${result.durationMs} ms`;
  return result.signal !== null ? `command killed by ${result.signal}` : `command exited with code ${String(result.exitCode)}`;
}
