import * as z from 'zod';
import { applyConfigRules } from './config-rules.js';
import { AgentMode } from './mode.js';
import { authSchema } from './schema-auth.js';
import { cacheSchema, listenerSchema } from './schema-listener.js';
import { agentPathsSchema, healthEndpointSchema, logSchema, metricsEndpointSchema } from './schema-observability.js';
import { tokenSinkListSchema } from './schema-sink.js';
import { telemetrySchema } from './schema-telemetry.js';
import { templateListSchema } from './schema-template.js';
import { templateConfigSchema } from './schema-template-config.js';
import { vaultConnectionSchema } from './schema-vault.js';
import { boundedInteger } from './primitives.js';
import { isRecord } from './refine-helpers.js';

/**
 * The version this schema describes. A config says which version it is, so an agent image older
 * than the webhook fails with a clear message instead of misreading a newer config; a new
 * version gets its own schema next to this one.
 */
export const AGENT_CONFIG_VERSION = 1;

/** Every version this build can parse. */
export const SUPPORTED_AGENT_CONFIG_VERSIONS: readonly number[] = [AGENT_CONFIG_VERSION];

/** The fields of a version-1 config, before the cross-field rules. */
export const agentConfigObjectSchema = z.strictObject({
  version: z.literal(AGENT_CONFIG_VERSION, {
    error: `expected the number ${AGENT_CONFIG_VERSION} (supported versions: ${SUPPORTED_AGENT_CONFIG_VERSIONS.join(', ')})`,
  }),
  /** How the agent runs; also decides `exit_after_auth` (see `exitsAfterAuth`). */
  mode: z.enum(AgentMode, { error: `expected one of: ${Object.values(AgentMode).join(', ')}` }),
  vault: vaultConnectionSchema,
  auth: authSchema,
  /** @default [{ path: '/home/vault/.vault-token', mode: 0o640 }] */
  sinks: tokenSinkListSchema,
  /**
   * One per secret; may be empty when the pod only wants the token.
   * @default []
   */
  templates: templateListSchema.default(() => []),
  /** @default every field's default */
  templateConfig: templateConfigSchema.prefault({}),
  /** The agent's local API; needed by `cache`. */
  listener: listenerSchema.optional(),
  cache: cacheSchema.optional(),
  /**
   * Revoke the agent's token (and so its leases) when the agent stops (vault-k8s
   * `agent-revoke-on-shutdown`). Not allowed in init mode: the app keeps using the init
   * container's leases after it exits.
   * @default false
   */
  revokeOnShutdown: z.boolean().default(false),
  /**
   * After a stop signal, keep files and token valid this long before revoking, so the app can
   * finish with its credentials (vault-k8s `agent-revoke-grace`). A native sidecar is stopped
   * after the app has exited and can use 0.
   * @default 5
   */
  revokeGraceSeconds: boundedInteger(0, 86_400, 'a number of seconds').default(5),
  /** vault-k8s `agent-telemetry-*`. */
  telemetry: telemetrySchema.optional(),
  /** Prometheus endpoint; off when unset. */
  metrics: metricsEndpointSchema.optional(),
  /** Health endpoint; required in native-sidecar mode, where the startupProbe uses it. */
  health: healthEndpointSchema.optional(),
  /** @default { level: 'info', format: 'standard' } */
  log: logSchema.prefault({}),
  /** @default { home: '/home/vault' } */
  paths: agentPathsSchema.prefault({}),
});

/** Fields of a version-1 config as parsed, before the cross-field rules ran. */
export type AgentConfigFields = z.output<typeof agentConfigObjectSchema>;

/**
 * The version-1 AgentConfig schema: fields plus the rules between them. Rules run even when
 * other fields are wrong (each only needs the fields it reads), so one parse reports everything.
 */
export const agentConfigSchema = agentConfigObjectSchema.superRefine(applyConfigRules, {
  when: (payload) => isRecord(payload.value),
});

/** A validated config, defaults applied: what the agent runs with. */
export type AgentConfig = z.output<typeof agentConfigSchema>;

/** What a builder (the webhook) writes: defaults may be left out. */
export type AgentConfigInput = z.input<typeof agentConfigSchema>;
