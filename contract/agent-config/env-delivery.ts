/**
 * Hands an encoded AgentConfig to the agent container through environment variables.
 *
 * One variable holds up to MAX_ENCODED_AGENT_CONFIG_BYTES (Linux refuses a single environment
 * string over 128 KiB). A config that is larger even after gzip is split across numbered
 * variables: `VAULT_INJECTOR_AGENT_CONFIG=chunks:3`, then `…_1`, `…_2`, `…_3`. The kernel's limit on
 * the whole environment (a quarter of the stack limit, 2 MiB by default) and the API server's
 * object size limit (1.5 MiB) bound how many chunks make sense.
 */
import { AGENT_CONFIG_ENV_VAR, decodeAgentConfigText, encodeAgentConfigJson, encodedAgentConfigFits, MAX_ENCODED_AGENT_CONFIG_BYTES } from './codec.js';
import { AGENT_CONFIG_CHECK_ENV_VAR, agentConfigCheck } from './config-check.js';
import { ROOT_PATH, type AgentConfigError } from './errors.js';
import type { AgentConfig } from './schema.js';

/** Most chunks one config may use: 8 × 120 KiB = 960 KiB, under the environment and object limits. */
export const MAX_AGENT_CONFIG_CHUNKS = 8;

const CHUNKS_MARKER = 'chunks:';

export interface EnvVar {
  name: string;
  value: string;
}

export type AgentConfigEnvResult = { ok: true; env: EnvVar[] } | { ok: false; encodedBytes: number; maxBytes: number };

/**
 * Configs up to this size travel as plain JSON, so that `kubectl describe pod` shows what the agent
 * runs with (templates and settings, never secrets); a typical pod's config is a few kilobytes.
 * Larger ones are gzipped: they are unreadable walls of text anyway, and the config is in the
 * admission response twice (init container and sidecar), so a 60 KiB config would make a 200 KiB
 * response where the gzipped one takes about 20 KiB. The webhook builds each workload's config once
 * and reuses it for every replica, so compressing costs once per workload, not per pod.
 */
export const MAX_PLAIN_AGENT_CONFIG_BYTES = 16 * 1024;

/**
 * The environment variables that carry `config` (a parseAgentConfig result), followed by its check
 * (config-check.ts), or how far it is over the limit.
 */
export function agentConfigEnvVars(config: AgentConfig): AgentConfigEnvResult {
  const json = JSON.stringify(config);
  const check: EnvVar = { name: AGENT_CONFIG_CHECK_ENV_VAR, value: agentConfigCheck(json) };
  if (json.length <= MAX_PLAIN_AGENT_CONFIG_BYTES && encodedAgentConfigFits(json)) return { ok: true, env: [{ name: AGENT_CONFIG_ENV_VAR, value: json }, check] };
  const encoded = encodeAgentConfigJson(json);
  if (encodedAgentConfigFits(encoded)) return { ok: true, env: [{ name: AGENT_CONFIG_ENV_VAR, value: encoded }, check] };
  const count = Math.ceil(encoded.length / MAX_ENCODED_AGENT_CONFIG_BYTES);
  if (count > MAX_AGENT_CONFIG_CHUNKS) {
    return { ok: false, encodedBytes: encoded.length, maxBytes: MAX_AGENT_CONFIG_CHUNKS * MAX_ENCODED_AGENT_CONFIG_BYTES };
  }
  const env: EnvVar[] = [{ name: AGENT_CONFIG_ENV_VAR, value: `${CHUNKS_MARKER}${count}` }];
  for (let i = 0; i < count; i++) {
    const start = i * MAX_ENCODED_AGENT_CONFIG_BYTES;
    env.push({ name: `${AGENT_CONFIG_ENV_VAR}_${i + 1}`, value: encoded.slice(start, start + MAX_ENCODED_AGENT_CONFIG_BYTES) });
  }
  return { ok: true, env: [...env, check] };
}

/** The config's JSON text and whether the webhook's check matches it, or what is wrong. */
export type AgentConfigEnvTextResult =
  | { readonly ok: true; readonly json: string; readonly checked: boolean }
  | { readonly ok: false; readonly errors: readonly AgentConfigError[] };

/**
 * The config's JSON text from an environment (e.g. `process.env`), not yet parsed or validated,
 * and whether the webhook's check in it matches that text and this build's schema: then the text
 * is a validated config as it stands. parse.ts's readAgentConfigFromEnv also validates. Never throws.
 */
export function readAgentConfigTextFromEnv(env: Readonly<Record<string, string | undefined>>): AgentConfigEnvTextResult {
  const head = env[AGENT_CONFIG_ENV_VAR];
  if (head === undefined || head.trim() === '') {
    return { ok: false, errors: [{ path: ROOT_PATH, message: `the environment variable ${AGENT_CONFIG_ENV_VAR} is not set` }] };
  }
  let encoded = head;
  if (head.startsWith(CHUNKS_MARKER)) {
    const count = Number(head.slice(CHUNKS_MARKER.length));
    if (!Number.isInteger(count) || count < 1 || count > MAX_AGENT_CONFIG_CHUNKS) {
      return { ok: false, errors: [{ path: ROOT_PATH, message: `${AGENT_CONFIG_ENV_VAR}: expected chunks:<1-${MAX_AGENT_CONFIG_CHUNKS}>` }] };
    }
    const parts: string[] = [];
    for (let i = 1; i <= count; i++) {
      const part = env[`${AGENT_CONFIG_ENV_VAR}_${i}`];
      if (part === undefined) {
        return { ok: false, errors: [{ path: ROOT_PATH, message: `the environment variable ${AGENT_CONFIG_ENV_VAR}_${i} is missing` }] };
      }
      parts.push(part);
    }
    encoded = parts.join('');
  }
  const decoded = decodeAgentConfigText(encoded);
  if (!decoded.ok) return decoded;
  const check = env[AGENT_CONFIG_CHECK_ENV_VAR];
  return { ok: true, json: decoded.json, checked: check !== undefined && check === agentConfigCheck(decoded.json) };
}
