/**
 * The agent's secret store: fetches each distinct request once, keeps tracked ones fresh on
 * Vault Agent's schedule, keeps the last good values through outages and reports real changes.
 */
import { setMaxListeners } from 'node:events';
import { readFile as readFileFromDisk } from 'node:fs/promises';
import type { TemplateConfig } from '../../contract/agent-config/index.js';
import type { TokenProvider } from '../auth/token-provider.js';
import { systemClock, type Clock, type Random } from '../lease/clock.js';
import type { Logger } from '../observe/logger.js';
import { secretRequestKey, type SecretRequest } from '../templates/template-engine.js';
import type { VaultClient } from '../vault/vault-api.js';
import { createKvMounts } from './kv-mounts.js';
import { createSecretFetcher } from './secret-fetcher.js';
import { describeRequest, freshnessOf, isLeased, newEntry, type SecretEntry } from './secret-entry.js';
import { runRefresher } from './secret-refresher.js';
import type { SecretStore } from './secret-store.js';

export interface SecretStoreOptions {
  client: VaultClient;
  tokens: TokenProvider;
  config: TemplateConfig;
  logger: Logger;
  /** Namespace for every request (`vault.namespace`). @default none (the client's own) */
  namespace?: string;
  /** @default the system clock */
  clock?: Clock;
  /** @default Math.random */
  random?: Random;
  /** Reads a `pkiCert` destination. @default `fs.readFile(path, 'utf8')` */
  readFile?: (path: string) => Promise<string>;
}

export function createSecretStore(options: SecretStoreOptions): SecretStore {
  const { tokens, logger } = options;
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const entries = new Map<string, SecretEntry>();
  const listeners = new Set<(changed: readonly SecretRequest[]) => void>();
  const stopping = new AbortController();
  // Every refresher listens to this signal; many templates are not a leak.
  setMaxListeners(0, stopping.signal);
  const fetcher = createSecretFetcher({
    client: options.client,
    tokens,
    config: options.config,
    logger,
    namespace: options.namespace,
    clock,
    random,
    readFile: options.readFile ?? ((path) => readFileFromDisk(path, 'utf8')),
    mounts: createKvMounts(logger),
  });

  const reportChange = (changed: readonly SecretRequest[]): void => {
    for (const listener of listeners) {
      try {
        listener(changed);
      } catch (err) {
        logger.error({ err }, 'secret change listener failed');
      }
    }
  };

  const startRefresher = (entry: SecretEntry, refetchFirst = false): void => {
    if (stopping.signal.aborted || !entry.tracked || entry.value === undefined || entry.refresher !== undefined) return;
    const controller = new AbortController();
    const signal = AbortSignal.any([stopping.signal, controller.signal]);
    const done = runRefresher(entry, { fetcher, clock, random, logger, signal, refetchFirst, reportChange }).finally(() => {
      if (entry.refresher?.controller === controller) entry.refresher = undefined;
    });
    entry.refresher = { controller, done };
  };

  const stopRefresher = (entry: SecretEntry): void => {
    entry.refresher?.controller.abort();
    entry.refresher = undefined;
  };

  const fetchEntry = (request: SecretRequest): Promise<void> => {
    const key = secretRequestKey(request);
    let entry = entries.get(key);
    if (entry === undefined) {
      entry = newEntry(request, key);
      entries.set(key, entry);
    }
    if (entry.firstFetch !== undefined) return entry.firstFetch;
    // A final error is fetched again when asked for (the render loop retrying), unless the
    // refresher is already retrying it.
    if (entry.value !== undefined && (entry.value.kind !== 'error' || entry.refresher !== undefined)) return Promise.resolve();
    const target = entry;
    target.firstFetch = fetcher
      .fetchFirst(target, stopping.signal)
      .then(() => startRefresher(target))
      .finally(() => {
        target.firstFetch = undefined;
      });
    return target.firstFetch;
  };

  // Leases belong to the token that created them and are revoked with it: after a new login,
  // every leased secret is fetched anew. Static secrets keep their data until their next read.
  const unsubscribeToken = tokens.onNewToken((token) => {
    const stale = [...entries.values()].filter((entry) => entry.tracked && isLeased(entry) && entry.token !== token);
    if (stale.length === 0) return;
    logger.info({ count: stale.length }, 'new Vault token: fetching leased secrets anew');
    for (const entry of stale) {
      stopRefresher(entry);
      startRefresher(entry, true);
    }
  });

  return {
    lookup(request) {
      return entries.get(secretRequestKey(request))?.value;
    },

    async fetch(requests) {
      if (stopping.signal.aborted) return;
      const distinct = new Map(requests.map((request) => [secretRequestKey(request), request]));
      await Promise.all([...distinct.values()].map(fetchEntry));
    },

    track(requests) {
      const wanted = new Set(requests.map(secretRequestKey));
      for (const entry of [...entries.values()]) {
        if (wanted.has(entry.key)) {
          entry.tracked = true;
          startRefresher(entry);
        } else if (entry.firstFetch === undefined) {
          // No longer used: stop renewing it (its lease simply expires, as upstream) and forget it.
          stopRefresher(entry);
          entries.delete(entry.key);
          logger.debug(describeRequest(entry.request), 'secret no longer used');
        } else {
          entry.tracked = false; // still being fetched for someone; kept until the next track()
        }
      }
    },

    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    freshness() {
      return [...entries.values()].filter((entry) => entry.tracked).map(freshnessOf);
    },

    async stop() {
      if (stopping.signal.aborted) return;
      stopping.abort();
      unsubscribeToken();
      const pending = [...entries.values()].flatMap((entry) => [entry.firstFetch, entry.refresher?.done]);
      await Promise.allSettled(pending);
    },
  };
}
