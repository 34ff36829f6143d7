// A long-running child process (a server under test) whose output goes to a log file rather than
// the console, which is stopped politely and then firmly, and which never outlives this process.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { onProcessExit } from './on-process-exit.js';

export interface ManagedProcessOptions {
  command: string;
  args: readonly string[];
  /** Log file for stdout and stderr, appended to. */
  logFile: string;
  /** Replaces the environment when given; @default the current process environment */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Run as this user (needs root and setpriv); @default the current user */
  runAs?: { uid: number; gid: number };
  /** Signal for a graceful stop; @default 'SIGTERM' */
  stopSignal?: NodeJS.Signals;
  /** How long a graceful stop may take before SIGKILL; @default 5_000 */
  stopGraceMs?: number;
}

export interface ManagedProcess {
  readonly pid: number;
  readonly logFile: string;
  /** Resolves once the process has exited (or failed to start). */
  readonly exited: Promise<void>;
  /** How it ended (`exit code 1`, `signal SIGKILL`, a spawn error), or undefined while running. */
  exitStatus(): string | undefined;
  /** Sends the stop signal, then SIGKILL after the grace period; resolves once it has exited. */
  stop(): Promise<void>;
  /** The last `maxChars` of the log, with each string in `redact` replaced, for error messages. */
  logTail(redact?: readonly string[], maxChars?: number): Promise<string>;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Starts `command` with stdio redirected to `logFile`. */
export function startManagedProcess(options: ManagedProcessOptions): ManagedProcess {
  const { logFile, env, cwd, runAs, stopSignal = 'SIGTERM', stopGraceMs = 5_000 } = options;
  installExitHook();
  const [command, args] = withParentDeathSignal(options.command, options.args, runAs);
  const logFd = openSync(logFile, 'a', 0o600);
  let child: ChildProcess;
  try {
    child = spawn(command, args, { cwd, env, stdio: ['ignore', logFd, logFd] });
  } finally {
    closeSync(logFd); // the child holds its own copy
  }
  running.add(child);
  let status: string | undefined;
  const exited = new Promise<void>((resolveExit) => {
    child.once('error', (err) => {
      status ??= `failed to start: ${err.message}`;
      running.delete(child);
      resolveExit();
    });
    child.once('exit', (code, signal) => {
      status = signal === null ? `exit code ${String(code)}` : `signal ${signal}`;
      running.delete(child);
      resolveExit();
    });
  });

  async function stop(): Promise<void> {
    if (status !== undefined) return;
    child.kill(stopSignal);
    const timer = setTimeout(() => child.kill('SIGKILL'), stopGraceMs);
    await exited;
    clearTimeout(timer);
  }

  async function logTail(redact: readonly string[] = [], maxChars = 3_000): Promise<string> {
    let text = await readFile(logFile, 'utf8').catch(() => '');
    for (const secret of redact) if (secret !== '') text = text.split(secret).join('<redacted>');
    return text.slice(-maxChars);
  }

  return { pid: child.pid ?? -1, logFile, exited, exitStatus: () => status, stop, logTail };
}

// Exit and signal hooks cover every ending but SIGKILL (and a worker that hangs past vitest's
// 500 ms SIGTERM grace). For those, setpriv (util-linux) asks the kernel to SIGKILL the child when
// we die, then execs the command, so the pid we track is the server itself. It must be the same
// setpriv call that changes the user: a credential change clears the parent-death signal.
function withParentDeathSignal(command: string, args: readonly string[], runAs?: { uid: number; gid: number }): [string, string[]] {
  const setpriv = findSetpriv();
  if (setpriv === undefined) {
    if (runAs !== undefined) throw new Error('running a process as another user needs setpriv (util-linux)');
    return [command, [...args]];
  }
  const user = runAs === undefined ? [] : [`--reuid=${runAs.uid}`, `--regid=${runAs.gid}`, '--init-groups'];
  return [setpriv, ['--pdeathsig', 'KILL', ...user, '--', command, ...args]];
}

let setprivPath: string | null | undefined;

function findSetpriv(): string | undefined {
  if (setprivPath === undefined) {
    const dirs = [...(process.env.PATH ?? '').split(':').filter((dir) => dir.startsWith('/')), '/usr/bin', '/bin'];
    setprivPath = process.platform === 'linux' ? (dirs.map((dir) => join(dir, 'setpriv')).find((path) => existsSync(path)) ?? null) : null;
  }
  return setprivPath ?? undefined;
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  onProcessExit(() => {
    for (const child of running) child.kill('SIGKILL');
  });
}
