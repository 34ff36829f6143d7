// Synchronous last-chance cleanup for when the test process ends: on a normal exit and also on
// SIGTERM/SIGINT/SIGHUP, whose default action skips 'exit' handlers. Vitest stops its fork workers
// with SIGTERM (SIGKILL 500 ms later), so without the signal hooks a server started inside a test
// file that failed before its teardown would outlive the run.
const callbacks: Array<() => void> = [];
let installed = false;

/** Registers `cleanup` (synchronous only); callbacks run once, last registered first. */
export function onProcessExit(cleanup: () => void): void {
  callbacks.push(cleanup);
  if (installed) return;
  installed = true;
  process.once('exit', runAll);
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.once(signal, onSignal);
}

function runAll(): void {
  while (callbacks.length > 0) {
    try {
      callbacks.pop()?.();
    } catch {
      // best effort: the process is going away
    }
  }
}

function onSignal(signal: NodeJS.Signals): void {
  runAll();
  // Listening for a signal replaces its default action. If nobody else (vitest's main process has
  // its own SIGTERM handler) will end the process, re-raise the signal now that ours is removed.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}
