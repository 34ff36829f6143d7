import { runAgent } from '../../agent/run/run-agent.js';
import { exitSoon, processHost } from '../process-host.js';

/** `vault-injector agent [--config FILE] [--root-dir DIR]`: runs the agent (see --help). */
export async function runAgentCommand(args: string[], env: Readonly<Record<string, string | undefined>> = process.env): Promise<number> {
  const code = await runAgent(args, processHost(env));
  exitSoon(code);
  return code;
}
