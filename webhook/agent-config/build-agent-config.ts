/**
 * Builds the AgentConfig of one agent container from the validated annotations, what the
 * mutation learned about the pod, and the injector's settings; validates it with the same schema
 * the agent uses, and encodes it into environment variables.
 */
import {
  agentConfigEnvVars,
  AgentMode,
  parseAgentConfig,
  type AgentConfigInput,
  type EnvVar,
} from '../../contract/agent-config/index.js';
import type { InjectionSpec } from '../../contract/annotations/index.js';
import type { ResolvedTemplate } from '../templates/resolve-templates.js';
import { buildAuth } from './build-auth.js';

/** What the pod mutation found out that the config depends on. */
export interface AgentConfigFacts {
  serviceAccountTokenPath: string | undefined;
  healthPort: number | undefined;
}

export interface AgentConfigSources {
  spec: InjectionSpec;
  templates: readonly ResolvedTemplate[];
  /** The injector's cluster-wide CA for Vault (AGENT_INJECT_VAULT_CACERT_BYTES). */
  vaultCaCertPem: string | undefined;
}

/** Why a config could not be built: bad auth parameters, a schema violation, or too large. */
export type BuildFailure = 'invalid-auth' | 'invalid-config' | 'too-large';

export type BuildResult =
  | { ok: true; env: EnvVar[] }
  | { ok: false; code: BuildFailure; problems: { key?: string; message: string }[] };

const HOME = '/home/vault';
const LOG_LEVELS: Record<string, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  trace: 'trace', debug: 'debug', info: 'info', warn: 'warn', warning: 'warn', error: 'error', err: 'error',
};

/**
 * Built configs, remembered per sources object and by what else they depend on (mode and pod
 * facts). The webhook keeps one sources object per workload (see `admit.ts`), so each config is
 * built, validated with the agent's schema and encoded once per workload, whatever the replicas.
 * Results are shared: callers copy what they hand on.
 */
const builtBySources = new WeakMap<AgentConfigSources, Map<string, BuildResult>>();

export function buildAgentConfigEnv(mode: AgentMode, facts: AgentConfigFacts, sources: AgentConfigSources): BuildResult {
  let byInputs = builtBySources.get(sources);
  if (byInputs === undefined) builtBySources.set(sources, (byInputs = new Map()));
  const key = `${mode}\0${facts.serviceAccountTokenPath ?? ''}\0${facts.healthPort ?? ''}`;
  let built = byInputs.get(key);
  if (built === undefined) byInputs.set(key, (built = build(mode, facts, sources)));
  return built;
}

function build(mode: AgentMode, facts: AgentConfigFacts, sources: AgentConfigSources): BuildResult {
  const { spec } = sources;
  const { auth, problems } = buildAuth(spec, facts.serviceAccountTokenPath);
  if (problems.length > 0 || auth === undefined) return { ok: false, code: 'invalid-auth', problems };

  const input: AgentConfigInput = {
    version: 1,
    mode,
    vault: {
      address: spec.service ?? '',
      caCertPath: spec.caCert,
      caPath: spec.caKey,
      caCertPem: sources.vaultCaCertPem,
      clientCertPath: spec.clientCert,
      clientKeyPath: spec.clientKey,
      tlsServerName: spec.tlsServerName || undefined,
      tlsSkipVerify: spec.tlsSkipVerify,
      proxyAddress: spec.proxyAddress || undefined,
      requestTimeoutMs: spec.clientTimeout || undefined,
      maxRetries: spec.clientMaxRetries,
    },
    auth,
    sinks: [
      { path: `${HOME}/.vault-token`, mode: 0o640 },
      ...(spec.injectToken ? [{ path: `${spec.secretVolumePath}/token`, mode: 0o640 }] : []),
    ],
    templates: sources.templates.map(({ secret, engine, contents, source }) => ({
      name: secret.name,
      destination: secret.destination,
      engine,
      contents,
      source,
      leftDelimiter: secret.leftDelimiter,
      rightDelimiter: secret.rightDelimiter,
      perms: secret.perms,
      command: secret.command === undefined ? undefined : { shell: secret.command },
      errorOnMissingKey: secret.errorOnMissingKey,
    })),
    templateConfig: {
      exitOnRetryFailure: spec.templateConfigExitOnRetryFailure,
      staticSecretRenderIntervalMs: spec.staticSecretRenderInterval || undefined,
      maxConnectionsPerHost: spec.maxConnectionsPerHost || undefined,
      leaseRenewalThreshold: spec.leaseRenewalThreshold || undefined,
      initTimeoutMs: spec.initTimeout,
      // vault-k8s's client-max-retries reaches both the HTTP client and template retries.
      retry: spec.clientMaxRetries === undefined ? undefined : { attempts: spec.clientMaxRetries },
    },
    listener: spec.enableQuit ? { enableQuit: true } : undefined,
    // Init containers hand their leases to the app; only a long-running agent revokes.
    revokeOnShutdown: mode === AgentMode.init ? false : spec.revokeOnShutdown,
    revokeGraceSeconds: spec.revokeGrace,
    health: mode === AgentMode.nativeSidecar && facts.healthPort !== undefined ? { port: facts.healthPort } : undefined,
    log: { level: LOG_LEVELS[spec.logLevel] ?? 'info', format: spec.logFormat },
    paths: { home: HOME },
  };

  const parsed = parseAgentConfig(input);
  if (!parsed.ok) {
    return {
      ok: false,
      code: 'invalid-config',
      problems: parsed.errors.map((e) => ({ message: `the agent configuration built from these annotations is invalid at ${e.path}: ${e.message}` })),
    };
  }
  const env = agentConfigEnvVars(parsed.config);
  if (!env.ok) {
    return {
      ok: false,
      code: 'too-large',
      problems: [{ message: `the agent configuration is ${env.encodedBytes} bytes even compressed, over the ${env.maxBytes}-byte limit; use fewer or smaller templates, or template files (agent-inject-template-file-<name>)` }],
    };
  }
  return env;
}
