import { expect } from 'vitest';
import type {
  AgentConfig,
  AgentConfigError,
  AgentConfigInput,
  AgentConfigResult,
  AgentTemplateInput,
  AuthConfigInput,
} from '../../../contract/agent-config/index.js';
import { parseAgentConfig } from '../../../contract/agent-config/index.js';

/** A template with only the required fields. */
export function aTemplate(overrides: Partial<AgentTemplateInput> = {}): AgentTemplateInput {
  return {
    name: 'db',
    destination: '/vault/secrets/db',
    engine: 'go',
    contents: '{{ with secret "database/creds/app" }}{{ .Data.username }}{{ end }}',
    ...overrides,
  };
}

/** Kubernetes auth with only the required fields. */
export function aKubernetesAuth(overrides: Partial<Extract<AuthConfigInput, { method: 'kubernetes' }>> = {}): AuthConfigInput {
  return { method: 'kubernetes', role: 'app', ...overrides };
}

/** A minimal valid sidecar config with one template. */
export function anAgentConfig(overrides: Partial<AgentConfigInput> = {}): AgentConfigInput {
  return {
    version: 1,
    mode: 'sidecar',
    vault: { address: 'https://vault.vault.svc:8200' },
    auth: aKubernetesAuth(),
    templates: [aTemplate()],
    ...overrides,
  };
}

/**
 * parseAgentConfig, checked to give the same result with zod's compiled fast path (the webhook)
 * and without it (the agent), so every test of the schema covers both.
 */
export function parseBothWays(input: unknown): AgentConfigResult {
  const result = parseAgentConfig(input);
  expect(parseAgentConfig(input, { jitless: true }), 'the jitless parse differs').toEqual(result);
  return result;
}

/** Parses and fails the test with the errors when the config is invalid. */
export function parsed(input: unknown): AgentConfig {
  const result = parseBothWays(input);
  if (!result.ok) expect.fail(`expected a valid config, got ${JSON.stringify(result.errors, null, 2)}`);
  return result.config;
}

/** The errors of an invalid result; fails the test when the result is valid. */
export function errorsOf(result: AgentConfigResult): readonly AgentConfigError[] {
  if (result.ok) expect.fail('expected errors, got a valid config');
  return result.errors;
}

/** Parses an invalid config and returns its errors. */
export function parseErrors(input: unknown): readonly AgentConfigError[] {
  return errorsOf(parseBothWays(input));
}

/** The error at `path`, failing the test with all errors when there is none. */
export function errorAt(errors: readonly AgentConfigError[], path: string): AgentConfigError {
  const found = errors.find((error) => error.path === path);
  if (found === undefined) expect.fail(`no error at ${path}; errors: ${JSON.stringify(errors, null, 2)}`);
  return found;
}
