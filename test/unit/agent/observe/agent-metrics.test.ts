import { describe, expect, it } from 'vitest';
import { escapeLabelValue, formatMetrics } from '../../../../agent/observe/agent-metrics.js';
import { initialStatus, type TemplateStatus } from '../../../../agent/render/template-status.js';

const db = { kind: 'read', path: 'db/creds/app' } as const;
const kv = { kind: 'read', path: 'kv/data/app' } as const;

function status(name: string, overrides: Partial<TemplateStatus>): TemplateStatus {
  return { ...initialStatus(name, `/vault/secrets/${name}`), ...overrides };
}

function sampleLines(text: string, name: string): string[] {
  return text.split('\n').filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `));
}

describe('agent metrics', () => {
  const text = formatMetrics({
    templates: () => [
      status('db', { state: 'rendered', lastRenderMs: 1_700_000_000_500, requests: [db, kv], consecutiveErrors: 0 }),
      status('pending', { requests: [kv], consecutiveErrors: 1 }),
    ],
    freshness: () => [
      { request: db, lastSuccessMs: 1, leaseExpiresMs: 1_700_000_600_000, consecutiveErrors: 0 },
      { request: kv, lastSuccessMs: 1, leaseExpiresMs: undefined, consecutiveErrors: 3 },
    ],
    auth: () => ({ authenticated: true, logins: 2, loginFailures: 5 }),
  });

  it('gives each secret its last render time, earliest lease expiry and errors in a row', () => {
    expect(sampleLines(text, 'vault_injector_agent_secret_last_render_timestamp_seconds')).toEqual([
      'vault_injector_agent_secret_last_render_timestamp_seconds{template="db"} 1700000000.5',
    ]);
    expect(sampleLines(text, 'vault_injector_agent_secret_lease_expiry_timestamp_seconds')).toEqual([
      'vault_injector_agent_secret_lease_expiry_timestamp_seconds{template="db"} 1700000600',
    ]);
    // The worst of the template's own failures and its secrets' fetch failures.
    expect(sampleLines(text, 'vault_injector_agent_secret_consecutive_errors')).toEqual([
      'vault_injector_agent_secret_consecutive_errors{template="db"} 3',
      'vault_injector_agent_secret_consecutive_errors{template="pending"} 3',
    ]);
  });

  it('reports the auth state and counters, and process figures', () => {
    expect(text).toContain('# TYPE vault_injector_agent_authenticated gauge\nvault_injector_agent_authenticated 1\n');
    expect(text).toContain('# TYPE vault_injector_agent_auth_logins_total counter\nvault_injector_agent_auth_logins_total 2\n');
    expect(text).toContain('vault_injector_agent_auth_login_failures_total 5\n');
    expect(text).toMatch(/^process_resident_memory_bytes \d+$/m);
  });

  it('is valid exposition text: HELP and TYPE before samples, one trailing newline', () => {
    expect(text.endsWith('\n')).toBe(true);
    expect(text.endsWith('\n\n')).toBe(false);
    for (const line of text.trimEnd().split('\n')) expect(line).toMatch(/^(# (HELP|TYPE) [a-z_]+ .+|[a-z_]+(\{[^}]*\})? [-+0-9.eInfNa]+)$/);
  });

  it('escapes label values', () => {
    expect(escapeLabelValue('a"b\\c\nd')).toBe('a\\"b\\\\c\\nd');
  });
});
