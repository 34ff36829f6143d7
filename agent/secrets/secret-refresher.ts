/**
 * The refresh loop of one tracked entry: wait (or renew the lease) as its plan says, fetch it
 * again, report a change when the data differs; until stopped or dropped.
 */
import type { Clock, Random } from '../lease/clock.js';
import type { Logger } from '../observe/logger.js';
import type { SecretRequest } from '../templates/template-engine.js';
import type { SecretFetcher } from './secret-fetcher.js';
import { describeRequest, type SecretEntry } from './secret-entry.js';

export interface RefresherContext {
  fetcher: SecretFetcher;
  clock: Clock;
  random: Random;
  logger: Logger;
  signal: AbortSignal;
  /** Fetch at once instead of following the plan (after a new login). */
  refetchFirst: boolean;
  reportChange(changed: readonly SecretRequest[]): void;
}

/** Runs until `signal` aborts; never rejects. */
export async function runRefresher(entry: SecretEntry, context: RefresherContext): Promise<void> {
  const { fetcher, clock, logger, signal } = context;
  let waitFirst = !context.refetchFirst;
  try {
    for (;;) {
      if (waitFirst) await waitForRefresh(entry, context);
      waitFirst = true;
      if (await fetcher.refetch(entry, signal)) context.reportChange([entry.request]);
    }
  } catch (err) {
    if (signal.aborted) return;
    // Nothing in the loop should throw; if something does, the entry keeps its value and the
    // loop starts over after the longest retry wait rather than spinning or dying silently.
    logger.error({ ...describeRequest(entry.request), err }, 'secret refresh loop failed; restarting it');
    await clock.sleep(60_000, signal).catch(() => {});
    if (!signal.aborted) return runRefresher(entry, { ...context, refetchFirst: false });
  }
}

async function waitForRefresh(entry: SecretEntry, context: RefresherContext): Promise<void> {
  const { fetcher, clock, logger, signal } = context;
  const plan = entry.plan;
  if (plan === undefined) return;
  if (plan.kind === 'renew') {
    const reason = await fetcher.renew(entry, { leaseId: plan.leaseId, leaseMs: plan.leaseMs }, signal);
    logger.info({ ...describeRequest(entry.request), reason }, 'lease renewal ended; fetching a new secret');
    return;
  }
  const remainingMs = plan.delayMs - (clock.now() - entry.plannedAtMs);
  if (remainingMs > 0) await clock.sleep(remainingMs, signal);
}
