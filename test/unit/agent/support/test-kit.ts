// Shared stand-ins for agent unit tests: a clock the test moves by hand, a way to let queued
// promise chains run, and a logger whose lines the test can read.
import { Writable } from 'node:stream';
import type { Clock } from '../../../../agent/lease/clock.js';
import { createLogger, type Logger } from '../../../../agent/observe/logger.js';

export const START_MS = Date.UTC(2025, 0, 1);

export interface ManualClock extends Clock {
  /** Moves time forward, waking sleepers in order and letting their work run. */
  advance(ms: number): Promise<void>;
  /** Sleeps not yet woken, as delays from now. */
  pendingDelays(): number[];
}

export function manualClock(startMs = START_MS): ManualClock {
  let now = startMs;
  const sleepers = new Set<{ at: number; wake: () => void }>();
  return {
    now: () => now,
    sleep(ms, signal) {
      return new Promise<void>((resolve, reject) => {
        if (signal.aborted) return reject(signal.reason as Error);
        const sleeper = { at: now + Math.max(0, ms), wake: () => (signal.removeEventListener('abort', onAbort), resolve()) };
        const onAbort = (): void => {
          sleepers.delete(sleeper);
          reject(signal.reason as Error);
        };
        sleepers.add(sleeper);
        signal.addEventListener('abort', onAbort, { once: true });
      });
    },
    async advance(ms) {
      const target = now + ms;
      for (;;) {
        await settle();
        const next = [...sleepers].filter((s) => s.at <= target).sort((a, b) => a.at - b.at)[0];
        if (next === undefined) break;
        sleepers.delete(next);
        now = next.at;
        next.wake();
      }
      now = target;
      await settle();
    },
    pendingDelays: () => [...sleepers].map((s) => s.at - now).sort((a, b) => a - b),
  };
}

/** Lets promise chains and I/O callbacks queued so far run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
}

export interface CapturedLogger {
  logger: Logger;
  lines(): Record<string, unknown>[];
  text(): string;
}

export function capturedLogger(): CapturedLogger {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString('utf8'));
      callback();
    },
  });
  const logger = createLogger({ level: 'debug', destination });
  const text = (): string => chunks.join('');
  return {
    logger,
    text,
    lines: () => text().split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
