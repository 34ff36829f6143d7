// The schema fingerprint in the webhook's config check (contract/agent-config/config-check.ts) is a
// generated constant: it must match the sources it stands for, or an agent and a webhook built from
// different schemas could both claim it.
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AGENT_CONFIG_SCHEMA_FINGERPRINT } from '../../../contract/agent-config/schema-fingerprint.js';
import { computeAgentConfigSchemaFingerprint } from '../../../scripts/agent-config-fingerprint.js';

describe('the AgentConfig schema fingerprint', () => {
  it('matches the sources of contract/agent-config and the installed zod', () => {
    const current = computeAgentConfigSchemaFingerprint(resolve(import.meta.dirname, '../../..'));
    expect(AGENT_CONFIG_SCHEMA_FINGERPRINT, 'contract/agent-config/schema-fingerprint.ts is stale: run `npm run fingerprint`').toBe(current);
  });
});
