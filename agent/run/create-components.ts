/**
 * The real components: one HTTP Vault client shared by auth and secrets, the auth manager (login
 * method, renewal, token sinks) and the secret store. Template engines are imported when a
 * template needs them, so an agent with only go templates never loads handlebars.
 */
import type { AgentConfig, TemplateEngine as EngineName } from '../../contract/agent-config/index.js';
import { createAgentAuth } from '../auth/create-agent-auth.js';
import type { Logger } from '../observe/logger.js';
import { createSecretStore } from '../secrets/create-secret-store.js';
import type { TemplateEngine } from '../templates/template-engine.js';
import { createHttpVaultClient } from '../vault/http-vault-client.js';
import type { AgentComponents } from './agent-components.js';

export async function createComponents(config: AgentConfig, logger: Logger): Promise<AgentComponents> {
  const client = createHttpVaultClient(config.vault, { logger, maxConnectionsPerHost: config.templateConfig.maxConnectionsPerHost });
  const manager = createAgentAuth(config, { client, logger });
  const store = createSecretStore({ client, tokens: manager, config: config.templateConfig, logger });
  return {
    auth: {
      tokens: manager,
      firstLogin: () => manager.firstLogin(),
      stats: () => manager.stats(),
      lastFailure: () => manager.lastFailure(),
      onFatal: (listener) => manager.onFatal(listener),
      stop: () => manager.stop(),
    },
    store,
    loadEngine,
    close: () => client.close(),
  };
}

async function loadEngine(name: EngineName): Promise<TemplateEngine> {
  if (name === 'go') return (await import('../templates/go/go-engine.js')).createGoEngine();
  return (await import('../templates/handlebars/handlebars-engine.js')).createHandlebarsEngine();
}
