/**
 * Keeps one token alive with `auth/token/renew-self` on the schedule of `lease/lifetime.ts` and
 * returns why it stopped; the auth manager then logs in again. Renewal errors never make it spin:
 * 403 (revoked, expired) ends it at once, anything else backs off 10 s ×2 → 5 min ±50 % and ends
 * it at the grace point.
 */
import type { Clock, Random } from '../lease/clock.js';
import { lifetimeStep, lifetimeStepAfterError, startLifetime, type LifetimeStep } from '../lease/lifetime.js';
import type { Logger } from '../observe/logger.js';
import { VaultError, type VaultClient } from '../vault/vault-api.js';
import type { AuthResult } from './auth-result.js';

export const WatchEnd = {
  /** The token cannot be renewed (any more) and reached its grace point. */
  expiring: 'expiring',
  /** Vault refused a renewal with 403: the token was revoked or has expired. */
  refused: 'refused',
} as const;
export type WatchEnd = (typeof WatchEnd)[keyof typeof WatchEnd];

export interface WatchDependencies {
  client: VaultClient;
  namespace: string | undefined;
  clock: Clock;
  random: Random;
  logger: Logger;
  /** Aborting it ends the watch (the promise rejects with the signal's reason). */
  signal: AbortSignal;
  /** After every successful renewal, with the new expiry (epoch ms). */
  onRenewed(expiresMs: number): void;
  /**
   * Renew right after login, as Vault's lifetime watcher does; otherwise the first renewal waits
   * for its schedule (~2/3 of the TTL), which an init agent done in a second never reaches.
   * @default true
   */
  renewAtOnce?: boolean;
}

const RENEW_SELF = 'auth/token/renew-self';

/**
 * Watches a token that expires (`leaseDurationSeconds > 0`); `loggedInMs` is when it was issued.
 * A renewable token is renewed at once (unless `renewAtOnce` is false), then on schedule; a
 * non-renewable one is only waited on.
 */
export async function watchToken(login: AuthResult, loggedInMs: number, deps: WatchDependencies): Promise<WatchEnd> {
  const { client, namespace, clock, random, logger, signal } = deps;
  let schedule = startLifetime(login.leaseDurationSeconds * 1_000, random);
  let expiresMs = loggedInMs + login.leaseDurationSeconds * 1_000;
  let renewable = login.renewable;
  let failures = 0;
  if (renewable && deps.renewAtOnce === false) {
    const first = lifetimeStep(expiresMs - clock.now(), schedule, random);
    if (first.kind === 'done') return WatchEnd.expiring;
    schedule = first.schedule;
    await clock.sleep(first.sleepMs, signal);
  }
  for (;;) {
    let step: LifetimeStep;
    if (!renewable) {
      step = lifetimeStep(expiresMs - clock.now(), schedule, random);
    } else {
      try {
        const answer = await client.request({ method: 'PUT', path: RENEW_SELF, body: {}, token: login.token, namespace, signal });
        const auth = answer?.auth;
        if (auth === null || auth === undefined) throw new Error('renew-self answered without auth'); // see catch
        failures = 0;
        const remainingMs = auth.leaseDuration * 1_000;
        expiresMs = clock.now() + remainingMs;
        renewable = auth.renewable;
        deps.onRenewed(expiresMs);
        step = lifetimeStep(remainingMs, schedule, random);
        logger.info({ ttlSeconds: auth.leaseDuration, nextRenewalMs: step.kind === 'sleep' && renewable ? step.sleepMs : null }, 'renewed auth token');
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        if (error instanceof VaultError && error.isPermissionDenied) {
          logger.warn({ err: error }, 'Vault refused to renew the auth token');
          return WatchEnd.refused;
        }
        failures++;
        step = lifetimeStepAfterError(expiresMs - clock.now(), schedule, failures, random);
        logger.warn({ err: error, failures, retryInMs: step.kind === 'sleep' ? step.sleepMs : null }, 'failed to renew the auth token');
      }
    }
    if (step.kind === 'done') return WatchEnd.expiring;
    schedule = step.schedule;
    await clock.sleep(step.sleepMs, signal);
  }
}
