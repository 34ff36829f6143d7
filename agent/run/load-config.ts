/**
 * Where the agent's config comes from: a JSON file named by `--config` (running by hand), or the
 * environment variable the webhook sets. Either way it is validated with the contract's schema,
 * and every problem comes back naming its path in the config.
 */
import { readFile } from 'node:fs/promises';
import {
  ROOT_PATH,
  parseAgentConfig,
  readAgentConfigFromEnv,
  type AgentConfig,
  type AgentConfigError,
  type AgentConfigResult,
} from '../../contract/agent-config/index.js';
import type { AgentFlags } from './agent-flags.js';
import { applyRootDir, resolveRootDir } from './root-dir.js';

/** The agent parses its config once: zod's compiled fast path would cost more than it saves. */
const PARSE_ONCE = { jitless: true } as const;

export type LoadedConfig =
  | { ok: true; config: AgentConfig; rootDir: string | undefined }
  | { ok: false; errors: readonly AgentConfigError[] };

export async function loadAgentConfig(
  flags: AgentFlags,
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): Promise<LoadedConfig> {
  const result = flags.configFile === undefined ? readAgentConfigFromEnv(env, PARSE_ONCE) : await readConfigFile(flags.configFile);
  if (!result.ok) return result;
  const rootDir = flags.rootDir === undefined ? undefined : resolveRootDir(flags.rootDir, cwd);
  return { ok: true, config: rootDir === undefined ? result.config : applyRootDir(result.config, rootDir), rootDir };
}

async function readConfigFile(file: string): Promise<AgentConfigResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    return { ok: false, errors: [{ path: ROOT_PATH, message: `cannot read the config file ${file} (${code})` }] };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // The parser's message quotes the text around the mistake, which may hold template text.
    return { ok: false, errors: [{ path: ROOT_PATH, message: `the config file ${file} is not valid JSON` }] };
  }
  return parseAgentConfig(json, PARSE_ONCE);
}

/** The lines printed for an invalid config: one per problem, each naming its path. */
export function formatConfigErrors(errors: readonly AgentConfigError[]): string {
  return errors.map((error) => `  - ${error.path}: ${error.message}`).join('\n');
}
