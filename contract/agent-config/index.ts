/**
 * The versioned AgentConfig: what the webhook decides for a pod and hands to the agent. The
 * webhook builds an {@link AgentConfigInput}, validates it with {@link parseAgentConfig} and
 * hands the result over with its check ({@link agentConfigEnvVars}, config-check.ts); the agent
 * takes a config whose check matches as it stands, validates any other with the same schema, and
 * never reads annotations. The agent imports runtime.ts, which leaves zod out. Pure: no I/O,
 * environment or clock.
 */
export {
  AGENT_CONFIG_VERSION,
  SUPPORTED_AGENT_CONFIG_VERSIONS,
  agentConfigObjectSchema,
  agentConfigSchema,
} from './schema.js';
export type { AgentConfig, AgentConfigInput } from './schema.js';
export { decodeAgentConfig, parseAgentConfig, parseAgentConfigJson, readAgentConfigFromEnv } from './parse.js';
export type { ParseAgentConfigOptions } from './parse.js';
export { ROOT_PATH, formatConfigPath } from './errors.js';
export type { AgentConfigError, AgentConfigResult } from './errors.js';
export {
  AGENT_CONFIG_ENV_VAR,
  GZIP_BASE64_PREFIX,
  MAX_DECODED_AGENT_CONFIG_BYTES,
  MAX_ENCODED_AGENT_CONFIG_BYTES,
  decodeAgentConfigText,
  encodeAgentConfig,
  encodedAgentConfigFits,
} from './codec.js';
export type { AgentConfigTextResult } from './codec.js';
export { MAX_AGENT_CONFIG_CHUNKS, MAX_PLAIN_AGENT_CONFIG_BYTES, agentConfigEnvVars, readAgentConfigTextFromEnv } from './env-delivery.js';
export type { AgentConfigEnvResult, AgentConfigEnvTextResult, EnvVar } from './env-delivery.js';
export { AGENT_CONFIG_CHECK_ENV_VAR, agentConfigCheck } from './config-check.js';

export { AgentMode, exitsAfterAuth } from './mode.js';
export { MAX_FILE_MODE, fileMode, formatFileMode, parseOctalFileMode } from './file-mode.js';
export type { ParseFileModeResult } from './file-mode.js';
export { MAX_DURATION_MS } from './primitives.js';

export { vaultConnectionSchema } from './schema-vault.js';
export type { VaultConnection } from './schema-vault.js';
export { AuthMethod, RESERVED_EXTRA_PARAMS } from './schema-auth-common.js';
export {
  DEFAULT_SERVICE_ACCOUNT_TOKEN_PATH,
  appRoleAuthSchema,
  authSchema,
  certAuthSchema,
  jwtAuthSchema,
  kubernetesAuthSchema,
  resolveJwtReadPeriodMs,
  tokenFileAuthSchema,
} from './schema-auth.js';
export type {
  AppRoleAuth,
  AuthConfig,
  AuthConfigInput,
  CertAuth,
  JwtAuth,
  KubernetesAuth,
  TokenFileAuth,
} from './schema-auth.js';
export { DEFAULT_TOKEN_SINK_PATH, tokenSinkListSchema, tokenSinkSchema } from './schema-sink.js';
export type { TokenSink } from './schema-sink.js';
export {
  DEFAULT_LEFT_DELIMITER,
  DEFAULT_RIGHT_DELIMITER,
  TemplateEngine,
  templateCommandSchema,
  templateListSchema,
  templateSchema,
} from './schema-template.js';
export type { AgentTemplate, AgentTemplateInput, TemplateCommand } from './schema-template.js';
export { templateConfigSchema, templateRetrySchema } from './schema-template-config.js';
export type { TemplateConfig, TemplateRetry } from './schema-template-config.js';
export { UseAutoAuthToken, cachePersistSchema, cacheSchema, listenerPort, listenerSchema } from './schema-listener.js';
export type { CacheConfig, ListenerConfig } from './schema-listener.js';
export { KNOWN_TELEMETRY_KEYS, telemetrySchema } from './schema-telemetry.js';
export type { TelemetryConfig } from './schema-telemetry.js';
export {
  LogFormat,
  LogLevel,
  agentPathsSchema,
  healthEndpointSchema,
  logSchema,
  metricsEndpointSchema,
} from './schema-observability.js';
export type { AgentPaths, EndpointConfig, LogConfig } from './schema-observability.js';
