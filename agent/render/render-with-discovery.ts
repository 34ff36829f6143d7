/**
 * consul-template's dependency discovery by execution, with synchronous templates: render every
 * template against what the store has; the ones that asked for data not fetched yet report it
 * missing; fetch all of that at once (each request once, however many templates ask); render
 * those templates again; repeat until each is rendered or failed. A secret whose path comes from
 * another secret needs one pass per level, so a small bound ends a loop that cannot settle.
 */
import { serializeError } from '../observe/logger.js';
import type { SecretStore } from '../secrets/secret-store.js';
import {
  secretRequestKey,
  type RenderEnvironment,
  type RenderOutcome,
  type SecretRequest,
} from '../templates/template-engine.js';
import type { PreparedTemplate } from './compile-templates.js';

/** Passes of render → fetch before a template that still misses data counts as not rendered. */
export const MAX_DISCOVERY_PASSES = 10;

export type TemplateResult =
  /** `requested`: everything the template asked for, fetched or not; used to keep refreshing it. */
  | { kind: 'rendered'; content: string; used: SecretRequest[]; requested: SecretRequest[] }
  | { kind: 'failed'; reason: string; requested: SecretRequest[] }
  /** Data is still missing: the fetch failed or did not settle. `missing` is what it waited for. */
  | { kind: 'waiting'; reason: string; missing: SecretRequest[]; requested: SecretRequest[] };

export interface DiscoveryOptions {
  env: RenderEnvironment;
  /** @default MAX_DISCOVERY_PASSES */
  maxPasses?: number;
  /** Told, before each fetch, what a template waits for (the fetch may take long while Vault is down). */
  onWaiting?(index: number, missing: readonly SecretRequest[]): void;
}

/** One result per template, in the templates' order. Never throws. */
export async function renderWithDiscovery(
  templates: readonly PreparedTemplate[],
  store: SecretStore,
  options: DiscoveryOptions,
): Promise<TemplateResult[]> {
  const maxPasses = options.maxPasses ?? MAX_DISCOVERY_PASSES;
  const results: (TemplateResult | undefined)[] = templates.map(() => undefined);
  const requested = templates.map(() => new Map<string, SecretRequest>());
  const lastMissing: SecretRequest[][] = templates.map(() => []);
  let todo = templates.map((_, index) => index);
  let waitingReason = `data still missing after ${maxPasses} render passes`;
  for (let pass = 1; todo.length > 0; pass++) {
    const missing = new Map<string, SecretRequest>();
    const next: number[] = [];
    for (const index of todo) {
      const outcome = renderSafely(templates[index] as PreparedTemplate, store, options.env);
      const asked = requested[index] as Map<string, SecretRequest>;
      if (outcome.kind === 'incomplete') {
        for (const request of outcome.missing) {
          const key = secretRequestKey(request);
          asked.set(key, request);
          missing.set(key, request);
        }
        lastMissing[index] = outcome.missing;
        options.onWaiting?.(index, outcome.missing);
        next.push(index);
      } else if (outcome.kind === 'rendered') {
        for (const request of outcome.used) asked.set(secretRequestKey(request), request);
        results[index] = { kind: 'rendered', content: outcome.content, used: outcome.used, requested: [...asked.values()] };
      } else {
        results[index] = { kind: 'failed', reason: outcome.reason, requested: [...asked.values()] };
      }
    }
    todo = next;
    if (todo.length === 0 || pass >= maxPasses) break;
    try {
      await store.fetch([...missing.values()]);
    } catch (error) {
      const { type, code, message } = serializeError(error);
      waitingReason = `fetching from Vault failed: ${String(message ?? code ?? type)}`;
      break;
    }
  }
  for (const index of todo) {
    const asked = requested[index] as Map<string, SecretRequest>;
    results[index] = { kind: 'waiting', reason: waitingReason, missing: lastMissing[index] ?? [], requested: [...asked.values()] };
  }
  return results as TemplateResult[];
}

function renderSafely(template: PreparedTemplate, store: SecretStore, env: RenderEnvironment): RenderOutcome {
  try {
    return template.compiled.render(store, env);
  } catch (error) {
    // Engines return failures as values; a throw is a bug. Its message may quote data, so only its class.
    const { type } = serializeError(error);
    return { kind: 'failed', reason: `the template engine failed unexpectedly (${String(type)})` };
  }
}
