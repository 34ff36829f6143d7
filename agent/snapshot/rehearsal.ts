/**
 * What the snapshot's rehearsed init run (warm-up.ts) is given, made by the build (build-snapshot.ts)
 * rather than in the process whose heap becomes the blob: the config goes through the contract's
 * schema here, and the rehearsal receives it as the webhook hands it over (with its check), so the
 * rehearsal, like an agent started by the webhook, never evaluates zod.
 */
import { agentConfigEnvVars, parseAgentConfig, type AgentConfigInput } from '../../contract/agent-config/index.js';
import { MADE_UP_TOKEN } from './made-up-vault.js';
import type { Rehearsal } from './warm-up.js';

function rehearsalConfig(vaultAddress: string): AgentConfigInput {
  return {
    version: 1,
    mode: 'init',
    vault: { address: vaultAddress },
    auth: { method: 'token_file', tokenFilePath: '/token' },
    sinks: [{ path: '/home/vault/.vault-token' }],
    templates: [
      // vault-k8s's two default templates (map and json), on two secrets fetched at once.
      { name: 'map', destination: '/secrets/map', engine: 'go', perms: 0o640, contents: '{{ with secret "kv/app" }}{{ range $k, $v := .Data }}{{ $k }}: {{ $v }}\n{{ end }}{{ end }}' },
      { name: 'json', destination: '/secrets/json', engine: 'go', contents: '{{ with secret "kv/db" }}{{ .Data | toJSON }}{{ end }}' },
    ],
    log: { level: 'trace', format: 'json' },
  };
}

/** The rehearsal against the made-up Vault at `vaultAddress` (made-up-vault.ts). */
export function rehearsalFor(vaultAddress: string): Rehearsal {
  const parsed = parseAgentConfig(rehearsalConfig(vaultAddress));
  if (!parsed.ok) throw new Error(`the rehearsal's config is invalid: ${JSON.stringify(parsed.errors)}`);
  const env = agentConfigEnvVars(parsed.config);
  if (!env.ok) throw new Error("the rehearsal's config does not fit its environment variables");
  return { env: Object.fromEntries(env.env.map(({ name, value }) => [name, value])), token: MADE_UP_TOKEN };
}
