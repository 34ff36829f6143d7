/**
 * The process as the webhook and agent see it: environment, output, stop signals. Only entry
 * points (main.ts files and CLI commands) call this; everything below them takes the host as a
 * parameter, so tests can pass their own.
 */
export interface ProcessHost {
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
  onStopSignal(listener: (signal: string) => void): void;
}

export function processHost(env: Readonly<Record<string, string | undefined>> = process.env): ProcessHost {
  return {
    env,
    cwd: process.cwd(),
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    onStopSignal(listener) {
      // Kubernetes stops containers with SIGTERM; a terminal sends SIGINT. vault-k8s only traps SIGINT.
      process.on('SIGTERM', () => listener('SIGTERM'));
      process.on('SIGINT', () => listener('SIGINT'));
    },
  };
}

/** Everything is closed by the time this is called; if some handle still holds the event loop, do not hang the pod. */
export function exitSoon(code: number): void {
  process.exitCode = code;
  setTimeout(() => process.exit(code), 1_000).unref();
}

/**
 * Exits at once when nothing is left to write to stdout or stderr, else as {@link exitSoon}. For a
 * run whose work is all awaited and closed by now (the agent): a natural exit would only tear down
 * Node's environment and V8's heap first (~1.5 ms of every init container's start).
 */
export function exitWhenFlushed(code: number): void {
  if (process.stdout.writableLength === 0 && process.stderr.writableLength === 0) process.exit(code);
  exitSoon(code);
}
