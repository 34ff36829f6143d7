// Running a short-lived command and getting its output, with an error that says what failed.
import { execFile } from 'node:child_process';

export interface RunCommandOptions {
  cwd?: string;
  /** Replaces the environment when given; @default the current process environment */
  env?: NodeJS.ProcessEnv;
  /** @default 10 minutes (pip and npm downloads on a cold cache) */
  timeoutMs?: number;
}

export interface CommandOutput {
  stdout: string;
  stderr: string;
}

const OUTPUT_TAIL_CHARS = 2_000;

/**
 * Runs `command args…` without a shell. On a non-zero exit the error names the command, its exit
 * code and the tail of its output. Callers must not pass secrets as arguments: they would show in
 * the error and in the process list.
 */
export function runCommand(command: string, args: readonly string[], options: RunCommandOptions = {}): Promise<CommandOutput> {
  const { cwd, env = process.env, timeoutMs = 10 * 60_000 } = options;
  return new Promise((resolveOutput, reject) => {
    execFile(
      command,
      [...args],
      { cwd, env, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (error === null) {
          resolveOutput({ stdout, stderr });
          return;
        }
        const status = error.code ?? error.signal ?? 'unknown';
        const tail = `${stdout}\n${stderr}`.trim().slice(-OUTPUT_TAIL_CHARS);
        reject(new Error(`\`${[command, ...args].join(' ')}\` failed (${String(status)}):\n${tail}`, { cause: error }));
      },
    );
  });
}
