/**
 * Serves new certificate files without a restart. Kubernetes updates a mounted Secret by writing a
 * new timestamped directory and renaming the `..data` symlink over the old one, so a watch on the
 * files themselves dies after the first rotation: we watch the directories that hold them, and
 * also poll (comparing content hashes) in case an event is missed or the filesystem has none.
 *
 * A changed pair is checked before use; a half-written or mismatched pair is logged (once per
 * distinct content) and the current certificate stays in service until a good pair appears.
 */
import { watch, type FSWatcher } from 'node:fs';
import { dirname } from 'node:path';
import type { SecureContextOptions } from 'node:tls';
import type { Logger } from 'pino';
import { Counter, Gauge, type Registry } from 'prom-client';
import { checkTlsPair, readTlsFiles, secureContextOptions, TlsLoadError, type TlsFiles, type TlsPair, type TlsSettings } from './tls-pair.js';
import { METRIC_PREFIX } from './webhook-metrics.js';

export interface TlsReloaderOptions {
  files: TlsFiles;
  settings: TlsSettings;
  /** The pair the server started with. */
  initial: TlsPair;
  /** Puts a checked context in service (`server.setSecureContext`). */
  apply: (options: SecureContextOptions) => void;
  logger: Logger;
  metrics?: TlsMetrics | undefined;
  /** @default 2_000 */
  pollIntervalMs?: number;
  /** Quiet time after a file event before reading, to let a burst of writes settle. @default 100 */
  debounceMs?: number;
}

export interface TlsReloader {
  current(): TlsPair;
  /** Reads the files now; resolves once that check (and any queued behind it) is done. */
  check(): Promise<void>;
  close(): void;
}

export function startTlsReloader(options: TlsReloaderOptions): TlsReloader {
  const { files, settings, apply, logger, pollIntervalMs = 2_000, debounceMs = 100 } = options;
  const { metrics } = options;
  let current = options.initial;
  let lastRejected: string | undefined;
  metrics?.notAfter.set(current.notAfter.getTime() / 1000);

  let running: Promise<void> | undefined;
  let again = false;
  function check(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await reloadOnce();
      } while (again);
    })().finally(() => {
      running = undefined;
    });
    return running;
  }

  async function reloadOnce(): Promise<void> {
    try {
      const contents = await readTlsFiles(files);
      if (contents.contentHash === current.contentHash || contents.contentHash === lastRejected) return;
      try {
        const pair = checkTlsPair(contents, settings);
        apply(secureContextOptions(pair, settings));
        current = pair;
        lastRejected = undefined;
        metrics?.reloads.inc({ result: 'loaded' });
        metrics?.notAfter.set(pair.notAfter.getTime() / 1000);
        logger.info({ fingerprint256: pair.fingerprint256, serialNumber: pair.serialNumber, notAfter: pair.notAfter.toISOString() }, 'TLS certificate reloaded');
      } catch (error) {
        lastRejected = contents.contentHash;
        reject(error);
      }
    } catch (error) {
      // Unreadable files: report each distinct problem once, not on every poll.
      const signature = error instanceof Error ? error.message : String(error);
      if (signature === lastRejected) return;
      lastRejected = signature;
      reject(error);
    }
  }

  function reject(error: unknown): void {
    metrics?.reloads.inc({ result: 'rejected' });
    const code = error instanceof TlsLoadError ? error.code : 'TLS_RELOAD_FAILED';
    const reason = error instanceof Error ? error.message : String(error);
    logger.warn({ code, reason, serving: current.fingerprint256 }, 'TLS files changed but are not a usable pair; keeping the current certificate');
  }

  let debounce: NodeJS.Timeout | undefined;
  const onEvent = (): void => {
    clearTimeout(debounce);
    debounce = setTimeout(() => void check(), debounceMs);
    debounce.unref();
  };
  const watchers = [...new Set([dirname(files.certFile), dirname(files.keyFile)])].flatMap((dir) => watchDirectory(dir, onEvent, logger));
  const poll = setInterval(() => void check(), pollIntervalMs);
  poll.unref();

  return {
    current: () => current,
    check,
    close() {
      clearInterval(poll);
      clearTimeout(debounce);
      for (const watcher of watchers) watcher.close();
    },
  };
}

function watchDirectory(dir: string, onEvent: () => void, logger: Logger): FSWatcher[] {
  try {
    const watcher = watch(dir, { persistent: false }, onEvent);
    watcher.on('error', (error) => {
      logger.debug({ dir, code: (error as NodeJS.ErrnoException).code }, 'TLS directory watch failed; polling only');
      watcher.close();
    });
    return [watcher];
  } catch (error) {
    logger.debug({ dir, code: (error as NodeJS.ErrnoException).code }, 'cannot watch the TLS directory; polling only');
    return [];
  }
}

export type TlsMetrics = ReturnType<typeof createTlsMetrics>;

export function createTlsMetrics(registry: Registry) {
  const registers = [registry];
  return {
    handshakeErrors: new Counter({
      name: `${METRIC_PREFIX}tls_handshake_errors_total`,
      help: 'TLS handshakes that failed (a client that does not trust the certificate shows up here).',
      registers,
    }),
    reloads: new Counter({
      name: `${METRIC_PREFIX}tls_reloads_total`,
      help: 'Changed TLS certificate files seen, by result (loaded, rejected).',
      labelNames: ['result'],
      registers,
    }),
    notAfter: new Gauge({
      name: `${METRIC_PREFIX}tls_certificate_not_after_seconds`,
      help: 'Expiry (Unix time) of the serving certificate in use.',
      registers,
    }),
  };
}
