/**
 * The auth manager for a config: the login method, the token sinks and the manager, wired to
 * the agent's Vault client. The cert method gets its own TLS client from `createClient`.
 */
import type { AgentConfig } from '../../contract/agent-config/index.js';
import { AgentMode } from '../../contract/agent-config/runtime.js';
import type { Clock, Random } from '../lease/clock.js';
import type { Logger } from '../observe/logger.js';
import { createTokenSinkWriter } from '../sinks/token-sinks.js';
import { createHttpVaultClient } from '../vault/http-vault-client.js';
import type { VaultClient } from '../vault/vault-api.js';
import { createAuthManager, type AuthManager } from './auth-manager.js';
import type { ClientFactory } from './methods/cert.js';
import { createLoginMethod } from './methods/create-login-method.js';

export interface AgentAuthDependencies {
  client: VaultClient;
  logger: Logger;
  /** @default an HTTP client for the given connection */
  createClient?: ClientFactory;
  clock?: Clock;
  random?: Random;
}

/**
 * In init mode the token is not renewed right after login (an init agent is usually done long
 * before its first scheduled renewal, which still happens if it is not); other modes renew at
 * once, as Vault Agent does.
 */
export function createAgentAuth(config: Pick<AgentConfig, 'vault' | 'auth' | 'sinks'> & { mode?: AgentConfig['mode'] }, deps: AgentAuthDependencies): AuthManager {
  const { client, logger, clock, random } = deps;
  const createClient = deps.createClient ?? ((connection) => createHttpVaultClient(connection, { logger }));
  const method = createLoginMethod(config.auth, { vault: config.vault, logger, createClient });
  const sinks = config.sinks.length > 0 ? createTokenSinkWriter(config.sinks, { logger, clock, random }) : undefined;
  return createAuthManager({ client, method, auth: config.auth, sinks, logger, clock, random, renewAtOnce: config.mode !== AgentMode.init });
}
