/**
 * What the run modes need from the rest of the agent, as one small interface, and its real
 * implementation: the HTTP Vault client, the auth manager (login, renewal, token sinks), the
 * secret store and the template engines. Tests of the run modes pass their own.
 */
import type { AgentConfig } from '../../contract/agent-config/index.js';
import type { TokenProvider } from '../auth/token-provider.js';
import type { AuthStats } from '../observe/agent-metrics.js';
import type { Logger } from '../observe/logger.js';
import type { EngineLoader } from '../render/compile-templates.js';
import type { SecretStore } from '../secrets/secret-store.js';

export interface AgentAuth {
  readonly tokens: TokenProvider;
  /**
   * Resolves once the agent is logged in and every token sink is written; rejects when login
   * failed for good (`auth.exitOnError`). The same promise on every call.
   */
  firstLogin(): Promise<void>;
  stats(): AuthStats;
  /** Why the last login failed, while not logged in; safe to log. */
  lastFailure(): string | undefined;
  /** Called when a login fails for good (`auth.exitOnError`), also after the first login. */
  onFatal(listener: (error: unknown) => void): () => void;
  /** Stops renewal and re-login timers; the token stays valid. */
  stop(): Promise<void>;
}

export interface AgentComponents {
  auth: AgentAuth;
  store: SecretStore;
  loadEngine: EngineLoader;
  /** Releases Vault connections (after auth and store stopped). */
  close(): Promise<void>;
}

export type CreateComponents = (config: AgentConfig, logger: Logger) => Promise<AgentComponents>;
