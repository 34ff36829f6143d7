/**
 * Token sinks: the current token in files (vault-k8s: `/home/vault/.vault-token`, and
 * `/vault/secrets/token` with `agent-inject-token`), written atomically with the sink's mode
 * after every login. A token already in a sink is not written again; a failed write is retried
 * every 1–3 s (Vault Agent's 2 s ± 1 s) until it succeeds or a newer token takes its place.
 * The file holds the bare token, no newline, as Vault Agent writes it.
 */
import type { TokenSink } from '../../contract/agent-config/index.js';
import { writeFileAtomic } from '../files/atomic-write.js';
import { systemClock, type Clock, type Random } from '../lease/clock.js';
import type { Logger } from '../observe/logger.js';

export interface TokenSinkWriter {
  /**
   * Writes `token` to every sink. Resolves once every sink holds it (or a newer token, or the
   * writer stopped); never rejects.
   */
  write(token: string): Promise<void>;
  stop(): Promise<void>;
}

export interface TokenSinkDependencies {
  logger: Logger;
  /** @default the system clock */
  clock?: Clock;
  /** @default Math.random */
  random?: Random;
  /** @default writeFileAtomic */
  writeFile?: typeof writeFileAtomic;
}

/** Wait before retrying a failed sink write: 1–3 s. */
export function sinkRetryDelayMs(random: Random): number {
  return 1_000 + Math.round(random() * 2_000);
}

export function createTokenSinkWriter(sinks: readonly TokenSink[], deps: TokenSinkDependencies): TokenSinkWriter {
  const { logger, clock = systemClock, random = Math.random, writeFile = writeFileAtomic } = deps;
  const stopping = new AbortController();
  const written = new Map<string, string>();
  let generation = 0;
  let latest: Promise<void> = Promise.resolve();

  async function writeSink(sink: TokenSink, token: string, mine: number): Promise<void> {
    for (let failures = 0; mine === generation && !stopping.signal.aborted; ) {
      if (written.get(sink.path) === token) return;
      try {
        await writeFile(sink.path, token, { mode: sink.mode, createDirs: true });
        written.set(sink.path, token);
        logger.debug({ path: sink.path }, 'wrote token sink');
        return;
      } catch (error) {
        failures++;
        const retryInMs = sinkRetryDelayMs(random);
        logger.warn({ path: sink.path, err: error, failures, retryInMs }, 'failed to write token sink');
        await clock.sleep(retryInMs, stopping.signal).catch(() => undefined);
      }
    }
  }

  return {
    write(token) {
      const mine = ++generation;
      const all = Promise.all(sinks.map((sink) => writeSink(sink, token, mine))).then(async () => {
        // Superseded: done when the newer token is written.
        if (mine !== generation && !stopping.signal.aborted) await latest;
      });
      latest = all;
      return all;
    },
    async stop() {
      stopping.abort();
      await latest;
    },
  };
}
