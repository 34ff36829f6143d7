/**
 * One scenario, two configs: our AgentConfig and the equivalent `bao agent` configuration (JSON,
 * which Vault/OpenBao agent accepts like HCL). Same templates (vault-k8s's default `map`
 * template text, which our go engine renders byte-identically), same token file, same render
 * interval, one token sink each.
 */
import { join } from 'node:path';
import type { AgentConfigInput } from '../../contract/agent-config/index.js';
import { defaultTemplateContents } from '../../webhook/templates/default-templates.js';

export interface Scenario {
  mode: 'init' | 'sidecar';
  vaultAddress: string;
  tokenFile: string;
  /** Vault paths, one template each. */
  paths: string[];
  /** Where this agent's files go (`<dir>/secrets/<n>`, `<dir>/token`). */
  dir: string;
}

export function destinationOf(dir: string, index: number): string {
  return join(dir, 'secrets', `secret-${index}`);
}

export function ourAgentConfig(scenario: Scenario): AgentConfigInput {
  return {
    version: 1,
    mode: scenario.mode,
    vault: { address: scenario.vaultAddress },
    auth: { method: 'token_file', tokenFilePath: scenario.tokenFile },
    sinks: [{ path: join(scenario.dir, 'token') }],
    templates: scenario.paths.map((path, index) => ({
      name: `secret-${index}`,
      destination: destinationOf(scenario.dir, index),
      engine: 'go',
      contents: defaultTemplateContents('map', path),
    })),
    log: { level: 'warn', format: 'json' },
    paths: { home: scenario.dir },
  };
}

export function baoAgentConfig(scenario: Scenario): Record<string, unknown> {
  return {
    vault: { address: scenario.vaultAddress },
    exit_after_auth: scenario.mode === 'init',
    auto_auth: {
      method: [{ type: 'token_file', config: { token_file_path: scenario.tokenFile } }],
      sink: [{ type: 'file', config: { path: join(scenario.dir, 'token') } }],
    },
    template_config: { static_secret_render_interval: '5m', exit_on_retry_failure: true },
    template: scenario.paths.map((path, index) => ({
      destination: destinationOf(scenario.dir, index),
      contents: defaultTemplateContents('map', path),
    })),
  };
}
