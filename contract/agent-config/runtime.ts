/**
 * What the agent needs from the contract at run time, without the schema: nothing imported
 * through this module evaluates zod (test/unit/agent/snapshot/zod-free-start.test.ts checks the
 * agent's startup bundle). The agent imports parse.ts only when a config has to be validated,
 * i.e. when it does not carry the webhook's check (config-check.ts).
 */
export { AGENT_CONFIG_ENV_VAR } from './codec.js';
export { AGENT_CONFIG_CHECK_ENV_VAR } from './config-check.js';
export { readAgentConfigTextFromEnv } from './env-delivery.js';
export type { AgentConfigEnvTextResult } from './env-delivery.js';
export { ROOT_PATH } from './errors.js';
export type { AgentConfigError, AgentConfigResult } from './errors.js';
export { resolveJwtReadPeriodMs } from './jwt-read-period.js';
export { listenerPort } from './listener-address.js';
export { AgentMode, exitsAfterAuth } from './mode.js';
