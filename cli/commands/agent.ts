import { runAgent } from '../../agent/run/run-agent.js';

/** `vault-injector agent [--config FILE] [--root-dir DIR]`: runs the agent (see --help). */
export async function runAgentCommand(args: string[], env: Readonly<Record<string, string | undefined>> = process.env): Promise<number> {
  const code = await runAgent(args, {
    env,
    cwd: process.cwd(),
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    onStopSignal(listener) {
      // Kubernetes stops containers with SIGTERM; a terminal sends SIGINT.
      process.on('SIGTERM', () => listener('SIGTERM'));
      process.on('SIGINT', () => listener('SIGINT'));
    },
  });
  // Everything is closed by now; if some handle still holds the event loop, do not hang the pod.
  setTimeout(() => process.exit(code), 1_000).unref();
  return code;
}
