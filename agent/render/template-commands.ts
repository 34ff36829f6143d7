/**
 * Commands of templates whose file changed (vault-k8s `agent-inject-command-<name>`). As in
 * consul-template: run after every template of a render was processed, in config order, each
 * distinct command once, with a timeout. `shell` runs as `/bin/sh -c`, `argv` directly.
 *
 * Output is discarded: a command may print the secret it was written for (`cat`, a debugging
 * `echo`), and the agent's logs must never hold secret material. Exit code, signal and duration
 * are what gets logged. `node:child_process` is imported when the first command runs (most
 * agents have none, and it cannot be part of the agent's startup snapshot).
 */
import type { AgentTemplate, TemplateCommand } from '../../contract/agent-config/index.js';

/** After the timeout the command's process group gets SIGTERM, then SIGKILL this much later. */
export const COMMAND_KILL_GRACE_MS = 2_000;

export interface CommandResult {
  ok: boolean;
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  durationMs: number;
  /** Why it could not start (e.g. ENOENT); errno codes only. */
  spawnError?: string;
}

export interface CommandContext {
  env: Readonly<Record<string, string | undefined>>;
}

export type CommandRunner = (command: TemplateCommand, context: CommandContext) => Promise<CommandResult>;

/** A command and the templates that asked for it. */
export interface PlannedCommand {
  command: TemplateCommand;
  templates: string[];
}

/** The commands to run for the changed templates: config order, each distinct command once. */
export function planCommands(changed: readonly AgentTemplate[]): PlannedCommand[] {
  const planned = new Map<string, PlannedCommand>();
  for (const template of changed) {
    if (template.command === undefined) continue;
    const key = commandKey(template.command);
    const existing = planned.get(key);
    if (existing === undefined) planned.set(key, { command: template.command, templates: [template.name] });
    else existing.templates.push(template.name);
  }
  return [...planned.values()];
}

function commandKey(command: TemplateCommand): string {
  return command.shell !== undefined ? `shell:${command.shell}` : `argv:${JSON.stringify(command.argv)}`;
}

/** Runs one command to its end or its timeout. Never rejects. */
export const runTemplateCommand: CommandRunner = async (command, context) => {
  const [program, args] = command.shell !== undefined ? ['/bin/sh', ['-c', command.shell]] : [command.argv?.[0] ?? '', command.argv?.slice(1) ?? []];
  const started = performance.now();
  const { spawn } = await import('node:child_process');
  return new Promise((resolveResult) => {
    let timedOut = false;
    let killTimer: NodeJS.Timeout | undefined;
    // Its own process group, so a timeout also stops what a shell line started.
    const child = spawn(program, args, { stdio: 'ignore', detached: true, env: { ...context.env } });
    const killGroup = (signal: NodeJS.Signals): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, signal);
      } catch {
        // Already gone.
      }
    };
    const timeout = setTimeout(() => {
      timedOut = true;
      killGroup('SIGTERM');
      killTimer = setTimeout(() => killGroup('SIGKILL'), COMMAND_KILL_GRACE_MS);
    }, command.timeoutMs);
    const finish = (result: Omit<CommandResult, 'durationMs' | 'timedOut' | 'ok'>): void => {
      clearTimeout(timeout);
      clearTimeout(killTimer);
      const ok = !timedOut && result.spawnError === undefined && result.exitCode === 0;
      resolveResult({ ...result, ok, timedOut, durationMs: Math.round(performance.now() - started) });
    };
    child.once('error', (error: NodeJS.ErrnoException) => finish({ exitCode: null, signal: null, spawnError: error.code ?? 'spawn failed' }));
    child.once('exit', (exitCode, signal) => finish({ exitCode, signal }));
  });
};
