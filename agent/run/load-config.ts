/**
 * Where the agent's config comes from: a JSON file named by `--config` (running by hand), or the
 * environment variables the webhook sets. A config from the webhook that carries its check
 * (contract/agent-config/config-check.ts: the webhook validated exactly this text with the same
 * schema) is used as it stands; any other config is validated with the contract's schema, and
 * every problem comes back naming its path in the config. The schema (zod) is imported only then,
 * so an agent started by the webhook never loads it.
 */
import { readFile } from 'node:fs/promises';
import type { AgentConfig, AgentConfigResult } from '../../contract/agent-config/index.js';
import { ROOT_PATH, readAgentConfigTextFromEnv, type AgentConfigError } from '../../contract/agent-config/runtime.js';
import type { AgentFlags } from './agent-flags.js';
import { applyRootDir, resolveRootDir } from './root-dir.js';

/** The agent parses its config once: zod's compiled fast path would cost more than it saves. */
const PARSE_ONCE = { jitless: true } as const;

/** How the config was accepted: the webhook's check matched, or this agent validated it. */
export type ConfigSource = 'checked' | 'validated';

export type LoadedConfig =
  | { ok: true; config: AgentConfig; rootDir: string | undefined; source: ConfigSource }
  | { ok: false; errors: readonly AgentConfigError[] };

export async function loadAgentConfig(
  flags: AgentFlags,
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): Promise<LoadedConfig> {
  const result = flags.configFile === undefined ? await configFromEnv(env) : await configFromFile(flags.configFile);
  if (!result.ok) return result;
  const rootDir = flags.rootDir === undefined ? undefined : resolveRootDir(flags.rootDir, cwd);
  return { ok: true, config: rootDir === undefined ? result.config : applyRootDir(result.config, rootDir), rootDir, source: result.source };
}

type SourcedResult = { ok: true; config: AgentConfig; source: ConfigSource } | { ok: false; errors: readonly AgentConfigError[] };

async function configFromEnv(env: Readonly<Record<string, string | undefined>>): Promise<SourcedResult> {
  const text = readAgentConfigTextFromEnv(env);
  if (!text.ok) return text;
  const value = parseJson(text.json);
  if (value === NOT_JSON) return { ok: false, errors: [{ path: ROOT_PATH, message: 'expected valid JSON' }] };
  if (text.checked) return { ok: true, config: value as AgentConfig, source: 'checked' };
  return validated(await validate(value));
}

async function configFromFile(file: string): Promise<SourcedResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    return { ok: false, errors: [{ path: ROOT_PATH, message: `cannot read the config file ${file} (${code})` }] };
  }
  const value = parseJson(text);
  // The parser's message quotes the text around the mistake, which may hold template text.
  if (value === NOT_JSON) return { ok: false, errors: [{ path: ROOT_PATH, message: `the config file ${file} is not valid JSON` }] };
  return validated(await validate(value));
}

const NOT_JSON = Symbol('not JSON');

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return NOT_JSON;
  }
}

async function validate(value: unknown): Promise<AgentConfigResult> {
  const { parseAgentConfig } = await import('../../contract/agent-config/parse.js');
  return parseAgentConfig(value, PARSE_ONCE);
}

function validated(result: AgentConfigResult): SourcedResult {
  return result.ok ? { ok: true, config: result.config, source: 'validated' } : result;
}

/** The lines printed for an invalid config: one per problem, each naming its path. */
export function formatConfigErrors(errors: readonly AgentConfigError[]): string {
  return errors.map((error) => `  - ${error.path}: ${error.message}`).join('\n');
}
