// Builders for template engine tests: templates with defaults applied by the contract's schema,
// Vault secrets from response JSON, lookups from a list of fetched values, and a render loop.
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { templateSchema, type AgentTemplate, type AgentTemplateInput } from '../../../../contract/agent-config/index.js';
import type { VaultSecret } from '../../../../agent/vault/vault-api.js';
import {
  secretRequestKey,
  type CompiledTemplate,
  type RenderOutcome,
  type SecretLookup,
  type SecretRequest,
  type SecretValue,
  type TemplateEngine,
} from '../../../../agent/templates/template-engine.js';

export function aTemplate(overrides: Partial<AgentTemplateInput> = {}): AgentTemplate {
  return templateSchema.parse({ name: 'app', destination: '/vault/secrets/app', engine: 'handlebars', contents: '', ...overrides });
}

export function aVaultSecret(data: Record<string, unknown> | null, overrides: Partial<VaultSecret> = {}): VaultSecret {
  return { requestId: 'req-1', leaseId: '', leaseDuration: 0, renewable: false, data, warnings: null, auth: null, wrapInfo: null, ...overrides };
}

/** A Vault response body (snake_case envelope) as the agent's adapter maps it. */
export function vaultSecretFromResponse(body: Record<string, unknown>): VaultSecret {
  return aVaultSecret((body.data as Record<string, unknown> | null) ?? null, {
    requestId: String(body.request_id ?? ''),
    leaseId: String(body.lease_id ?? ''),
    leaseDuration: Number(body.lease_duration ?? 0),
    renewable: body.renewable === true,
    warnings: (body.warnings as string[] | null) ?? null,
  });
}

export function readFixture(name: string): string {
  return readFileSync(new URL(`../../../fixtures/templates/${name}`, import.meta.url), 'utf8');
}

/** A lookup over fetched values; anything else is "not fetched yet". Counts lookups per request. */
export function aLookup(entries: readonly (readonly [SecretRequest, SecretValue])[] = []): SecretLookup & {
  set(request: SecretRequest, value: SecretValue): void;
} {
  const values = new Map(entries.map(([request, value]) => [secretRequestKey(request), value]));
  return {
    lookup: (request) => values.get(secretRequestKey(request)),
    set: (request, value) => void values.set(secretRequestKey(request), value),
  };
}

export const read = (path: string): SecretRequest => ({ kind: 'read', path });

export function compileOrFail(engine: TemplateEngine, text: string, overrides: Partial<AgentTemplateInput> = {}): CompiledTemplate {
  const result = engine.compile(aTemplate({ contents: text, ...overrides }), text);
  if (!result.ok) expect.fail(`expected the template to compile, got: ${result.reason}`);
  return result.template;
}

export function compileError(engine: TemplateEngine, text: string, overrides: Partial<AgentTemplateInput> = {}): string {
  const result = engine.compile(aTemplate({ contents: text, ...overrides }), text);
  if (result.ok) expect.fail('expected the template not to compile');
  return result.reason;
}

/** The content of a `rendered` outcome; fails the test otherwise. */
export function contentOf(outcome: RenderOutcome): string {
  if (outcome.kind !== 'rendered') expect.fail(`expected rendered, got ${JSON.stringify(outcome)}`);
  return outcome.content;
}

export function reasonOf(outcome: RenderOutcome): string {
  if (outcome.kind !== 'failed') expect.fail(`expected failed, got ${JSON.stringify(outcome)}`);
  return outcome.reason;
}

/**
 * The render loop in miniature: render, fetch what is missing with `fetch`, render again.
 * Returns the final outcome and the passes it took.
 */
export function renderUntilSettled(
  template: CompiledTemplate,
  fetch: (request: SecretRequest) => SecretValue,
  env: Record<string, string> = {},
  maxPasses = 10,
): { outcome: RenderOutcome; passes: number } {
  const lookup = aLookup();
  for (let passes = 1; ; passes++) {
    const outcome = template.render(lookup, { env });
    if (outcome.kind !== 'incomplete' || passes >= maxPasses) return { outcome, passes };
    for (const request of outcome.missing) lookup.set(request, fetch(request));
  }
}
