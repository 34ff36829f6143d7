/**
 * Running one agent for the benchmark: wall time from spawn to exit (init mode), and resident
 * memory (VmRSS from /proc) of a long-running one (sidecar mode). Output goes to a log file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';

export interface AgentCommand {
  label: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  logFile: string;
}

export interface RunTimes {
  /** Spawn to exit. */
  wallMs: number;
  /** User + system CPU of the process: less skewed than wall time when other work shares the cores. */
  cpuMs: number;
}

/** Spawns the agent and resolves with its times once it exited 0; rejects otherwise. Run one at a time. */
export function timeUntilExit(agent: AgentCommand, timeoutMs = 60_000): Promise<RunTimes> {
  return new Promise((resolveTime, reject) => {
    const cpuBefore = childrenCpuMs();
    const started = performance.now();
    const child = start(agent);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      const wallMs = performance.now() - started;
      // 'exit' comes after the child was reaped, so its CPU is in our children's totals.
      if (code === 0) resolveTime({ wallMs, cpuMs: childrenCpuMs() - cpuBefore });
      else reject(new Error(`${agent.label} exited with ${String(code ?? signal)}; see ${agent.logFile}`));
    });
  });
}

/** CPU of this process's reaped children (`cutime + cstime` of /proc/self/stat), in ms. */
function childrenCpuMs(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields from "state" (3rd); cutime and cstime are the 16th and 17th, in clock ticks (100 Hz on Linux).
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

export interface RunningAgent {
  child: ChildProcess;
  /** VmRSS in KiB, or undefined once the process is gone. */
  rssKiB(): number | undefined;
  stop(): Promise<void>;
}

export function startLongRunning(agent: AgentCommand): RunningAgent {
  const child = start(agent);
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  return {
    child,
    rssKiB: () => readRssKiB(child.pid),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function start(agent: AgentCommand): ChildProcess {
  const log = openSync(agent.logFile, 'a');
  try {
    return spawn(agent.command, agent.args, { env: agent.env, stdio: ['ignore', log, log] });
  } finally {
    closeSync(log);
  }
}

export function readRssKiB(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] === undefined ? undefined : Number(match[1]);
  } catch {
    return undefined;
  }
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}
