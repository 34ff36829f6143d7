// Stand-ins for the render loop's collaborators: a store backed by a map of "Vault" values that
// records its calls, and templates whose render is a plain function of what the store has.
import { pino, type Logger } from 'pino';
import { Writable } from 'node:stream';
import { parseAgentConfig, type AgentTemplate, type AgentTemplateInput } from '../../../../contract/agent-config/index.js';
import type { PreparedTemplate } from '../../../../agent/render/compile-templates.js';
import type { SecretFreshness, SecretStore } from '../../../../agent/secrets/secret-store.js';
import {
  secretRequestKey,
  type RenderOutcome,
  type SecretLookup,
  type SecretRequest,
  type SecretValue,
} from '../../../../agent/templates/template-engine.js';

export const read = (path: string): SecretRequest => ({ kind: 'read', path });

/** A KV-like secret value with `data`. */
export function secretValue(data: Record<string, unknown>): SecretValue {
  return { kind: 'secret', secret: { requestId: 'r', leaseId: '', leaseDuration: 0, renewable: false, data, warnings: null, auth: null, wrapInfo: null } };
}

export interface FakeStore extends SecretStore {
  /** What Vault holds; `fetch` copies from here. */
  vault: Map<string, SecretValue>;
  fetchCalls: SecretRequest[][];
  trackCalls: SecretRequest[][];
  /** Changes a value in the store and notifies listeners, as a refresh would. */
  change(request: SecretRequest, value: SecretValue): void;
  /** Makes every later fetch throw. */
  failFetches(error: Error): void;
}

export function aFakeStore(): FakeStore {
  const cache = new Map<string, SecretValue>();
  const vault = new Map<string, SecretValue>();
  const listeners = new Set<(changed: readonly SecretRequest[]) => void>();
  const fetchCalls: SecretRequest[][] = [];
  const trackCalls: SecretRequest[][] = [];
  let fetchError: Error | undefined;
  return {
    vault,
    fetchCalls,
    trackCalls,
    lookup: (request) => cache.get(secretRequestKey(request)),
    async fetch(requests) {
      fetchCalls.push([...requests]);
      if (fetchError !== undefined) throw fetchError;
      for (const request of requests) {
        const key = secretRequestKey(request);
        cache.set(key, vault.get(key) ?? { kind: 'error', message: `no secret exists at ${request.path}` });
      }
    },
    track: (requests) => void trackCalls.push([...requests]),
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    freshness: (): SecretFreshness[] => [],
    stop: async () => undefined,
    change(request, value) {
      cache.set(secretRequestKey(request), value);
      vault.set(secretRequestKey(request), value);
      for (const listener of listeners) listener([request]);
    },
    failFetches(error) {
      fetchError = error;
    },
  };
}

/**
 * A template that reads the requests `needs` returns (which may depend on data already read, for
 * nested secrets) and renders `render` of their values.
 */
export function aFakeTemplate(
  input: Partial<AgentTemplateInput> & { name: string; destination: string },
  needs: (lookup: SecretLookup) => SecretRequest[],
  render: (values: SecretValue[]) => RenderOutcome | string,
): PreparedTemplate {
  return {
    config: aTemplateConfig(input),
    compiled: {
      render(lookup) {
        const requests = needs(lookup);
        const values = requests.map((request) => lookup.lookup(request));
        const missing = requests.filter((_, index) => values[index] === undefined);
        if (missing.length > 0) return { kind: 'incomplete', missing };
        const failed = values.find((value) => value?.kind === 'error');
        if (failed?.kind === 'error') return { kind: 'failed', reason: failed.message };
        const outcome = render(values as SecretValue[]);
        return typeof outcome === 'string' ? { kind: 'rendered', content: outcome, used: requests } : outcome;
      },
    },
  };
}

/** The `data.value` of a secret, for fake templates. */
export function valueOf(value: SecretValue | undefined): string {
  return value?.kind === 'secret' ? String(value.secret.data?.['value']) : '';
}

export function aTemplateConfig(input: Partial<AgentTemplateInput> & { name: string; destination: string }): AgentTemplate {
  const result = parseAgentConfig({
    version: 1,
    mode: 'sidecar',
    vault: { address: 'http://127.0.0.1:8200' },
    auth: { method: 'token_file', tokenFilePath: '/token' },
    templates: [{ engine: 'handlebars', contents: 'x', ...input }],
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.config.templates[0] as AgentTemplate;
}

/** A logger whose JSON lines are collected in `lines`. */
export function aCapturingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter((line) => line !== ''));
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, destination), lines };
}
