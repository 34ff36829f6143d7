/**
 * The webhook's word that it validated a config: SHA-256 over the schema's fingerprint and the
 * exact JSON text handed to the agent, in {@link AGENT_CONFIG_CHECK_ENV_VAR} next to the config.
 * An agent built from the same schema sources (and zod) that finds the check matching takes the
 * text as the validated config it is; an agent of other sources, a config edited after admission
 * (e.g. by `agent-json-patch`) or one written by hand is validated in full, as before.
 *
 * It spares every agent start zod: its code and the ~260 objects of the AgentConfig schema in the
 * agent's startup snapshot, and the parse itself (measured ~8 ms of a ~85 ms init run with 5
 * templates, ~14 ms with 50). It is no security boundary, and needs none: whoever can set a
 * container's environment can also set its command and image.
 */
import { createHash } from 'node:crypto';
import { AGENT_CONFIG_SCHEMA_FINGERPRINT } from './schema-fingerprint.js';

/** Holds {@link agentConfigCheck} of the config's JSON text. */
export const AGENT_CONFIG_CHECK_ENV_VAR = 'VAULT_INJECTOR_AGENT_CONFIG_CHECK';

/** The check of a validated config's JSON text (`JSON.stringify` of parseAgentConfig's result). */
export function agentConfigCheck(json: string): string {
  return createHash('sha256').update(AGENT_CONFIG_SCHEMA_FINGERPRINT).update('\n').update(json).digest('hex');
}
