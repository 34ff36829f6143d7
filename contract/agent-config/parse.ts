import { decodeAgentConfigText } from './codec.js';
import { readAgentConfigTextFromEnv } from './env-delivery.js';
import type { AgentConfigError, AgentConfigResult } from './errors.js';
import { IssueDetails, ROOT_PATH } from './errors.js';
import { isRecord } from './refine-helpers.js';
import { SUPPORTED_AGENT_CONFIG_VERSIONS, agentConfigSchema } from './schema.js';

/**
 * A config of a version this build does not know is reported on its own: its other fields follow
 * another schema, so checking them against this one would only add noise. Non-numeric or absent
 * versions fall through to the schema, which reports them with the rest.
 */
function unsupportedVersion(input: unknown): AgentConfigError | undefined {
  if (!isRecord(input)) return undefined;
  const version = input['version'];
  if (typeof version !== 'number' || SUPPORTED_AGENT_CONFIG_VERSIONS.includes(version)) return undefined;
  return {
    path: 'version',
    message:
      `unsupported AgentConfig version ${version}; this build supports version ` +
      `${SUPPORTED_AGENT_CONFIG_VERSIONS.join(', ')} (is the agent image older than the webhook?)`,
  };
}

export interface ParseAgentConfigOptions {
  /**
   * Skip zod's compiled fast path for objects. Compiling pays off over many parses (the webhook,
   * one per admission); a process that parses once (the agent, at start) spends less without it:
   * ~7 instead of ~17 ms for the first parse. The result is the same either way.
   * @default false
   */
  jitless?: boolean;
}

/**
 * Validates a config and applies its defaults. Reports every problem at once, each with its
 * path; unknown keys are errors (except inside `auth.extra` and `telemetry`), so typos are caught.
 * Never throws.
 */
export function parseAgentConfig(input: unknown, options: ParseAgentConfigOptions = {}): AgentConfigResult {
  const unsupported = unsupportedVersion(input);
  if (unsupported !== undefined) return { ok: false, errors: [unsupported] };
  const details = new IssueDetails();
  try {
    const result = agentConfigSchema.safeParse(input, { error: details.errorMap, reportInput: true, jitless: options.jitless === true });
    if (result.success) return { ok: true, config: result.data };
    return { ok: false, errors: details.toErrors(result.error.issues) };
  } catch {
    // Only exotic input gets here (a getter or proxy that throws): plain JSON never does.
    return { ok: false, errors: [{ path: ROOT_PATH, message: 'expected plain JSON data; reading the value threw' }] };
  }
}

/** Parses JSON text and validates it ({@link parseAgentConfig}). Never throws. */
export function parseAgentConfigJson(json: string, options: ParseAgentConfigOptions = {}): AgentConfigResult {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    // The parser's message quotes the input, which may hold template text: leave it out.
    return { ok: false, errors: [{ path: ROOT_PATH, message: 'expected valid JSON' }] };
  }
  return parseAgentConfig(value, options);
}

/**
 * Decodes and validates a config from encodeAgentConfig, or plain base64 JSON, or raw JSON
 * (handy when writing one by hand). Never throws; problems come back as errors.
 */
export function decodeAgentConfig(text: string, options: ParseAgentConfigOptions = {}): AgentConfigResult {
  const decoded = decodeAgentConfigText(text);
  return decoded.ok ? parseAgentConfigJson(decoded.json, options) : decoded;
}

/** Reads and validates the config from an environment (e.g. `process.env`), check or not. Never throws. */
export function readAgentConfigFromEnv(env: Readonly<Record<string, string | undefined>>, options: ParseAgentConfigOptions = {}): AgentConfigResult {
  const text = readAgentConfigTextFromEnv(env);
  return text.ok ? parseAgentConfigJson(text.json, options) : text;
}
