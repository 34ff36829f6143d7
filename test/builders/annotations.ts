/** Builders for annotation maps: `annotations({ 'agent-inject': 'true' })` adds the prefix. */
export const PREFIX = 'vault.hashicorp.com/';

export function annotations(short: Record<string, string>, prefix = PREFIX): Record<string, string> {
  return Object.fromEntries(Object.entries(short).map(([k, v]) => [prefix + k, v]));
}

/** A small annotation set that injects cleanly: opt-in, a role, a Vault address and one secret. */
export function injectable(extra: Record<string, string> = {}): Record<string, string> {
  return annotations({
    'agent-inject': 'true',
    role: 'app',
    service: 'https://vault.vault.svc:8200',
    'agent-inject-secret-db': 'secret/data/db',
    ...extra,
  });
}
