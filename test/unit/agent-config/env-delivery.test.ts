import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  AGENT_CONFIG_CHECK_ENV_VAR,
  AGENT_CONFIG_ENV_VAR,
  agentConfigCheck,
  agentConfigEnvVars,
  MAX_AGENT_CONFIG_CHUNKS,
  MAX_ENCODED_AGENT_CONFIG_BYTES,
  MAX_PLAIN_AGENT_CONFIG_BYTES,
  readAgentConfigFromEnv,
  readAgentConfigTextFromEnv,
} from '../../../contract/agent-config/index.js';
import { aTemplate, anAgentConfig, parsed } from './builders.js';

const toEnv = (vars: { name: string; value: string }[]) => Object.fromEntries(vars.map((v) => [v.name, v.value]));

/** Templates of random text, which gzip cannot shrink: forces chunking. */
function incompressibleConfig(totalBytes: number) {
  const count = Math.ceil(totalBytes / 50_000);
  const templates = Array.from({ length: count }, (_, i) =>
    aTemplate({ name: `t${i}`, destination: `/vault/secrets/t${i}`, contents: randomBytes(37_500).toString('base64') }),
  );
  return parsed(anAgentConfig({ templates }));
}

describe('handing the AgentConfig over in environment variables', () => {
  it('uses one variable when the encoded config fits', () => {
    const config = parsed(anAgentConfig());
    const result = agentConfigEnvVars(config);
    expect(result.ok && result.env.map((v) => v.name)).toEqual([AGENT_CONFIG_ENV_VAR, AGENT_CONFIG_CHECK_ENV_VAR]);
    expect(result.ok && readAgentConfigFromEnv(toEnv(result.env))).toEqual({ ok: true, config });
    expect(result.ok && readAgentConfigTextFromEnv(toEnv(result.env))).toEqual({ ok: true, json: JSON.stringify(config), checked: true });
  });

  it('sends a config up to MAX_PLAIN_AGENT_CONFIG_BYTES as readable JSON and a larger one gzipped', () => {
    const small = parsed(anAgentConfig());
    const smallEnv = agentConfigEnvVars(small);
    expect(smallEnv.ok && JSON.parse(smallEnv.env[0]!.value)).toEqual(small);
    const text = 'export KEY="{{Data.data.key}}"\n'.repeat(Math.ceil(MAX_PLAIN_AGENT_CONFIG_BYTES / 30));
    const large = parsed(anAgentConfig({ templates: [aTemplate({ contents: text })] }));
    const largeEnv = agentConfigEnvVars(large);
    if (!largeEnv.ok) throw new Error('expected the config to fit');
    expect(largeEnv.env.map((v) => v.name)).toEqual([AGENT_CONFIG_ENV_VAR, AGENT_CONFIG_CHECK_ENV_VAR]);
    expect(largeEnv.env[0]!.value).toMatch(/^gz64:/);
    expect(largeEnv.env[0]!.value.length).toBeLessThan(MAX_PLAIN_AGENT_CONFIG_BYTES / 4);
    expect(readAgentConfigFromEnv(toEnv(largeEnv.env))).toEqual({ ok: true, config: large });
    // The check covers the JSON text, not its encoding.
    expect(readAgentConfigTextFromEnv(toEnv(largeEnv.env))).toMatchObject({ ok: true, checked: true });
  });

  it('splits a config too large for one variable into chunks that each fit, and reads it back', () => {
    const config = incompressibleConfig(300_000);
    const result = agentConfigEnvVars(config);
    if (!result.ok) throw new Error('expected the config to fit in chunks');
    const chunks = result.env.length - 2; // the head and the check are not chunks
    expect(result.env[0]).toEqual({ name: AGENT_CONFIG_ENV_VAR, value: `chunks:${chunks}` });
    expect(result.env.at(-1)?.name).toBe(AGENT_CONFIG_CHECK_ENV_VAR);
    expect(chunks).toBeGreaterThan(1);
    for (const variable of result.env) expect(variable.value.length).toBeLessThanOrEqual(MAX_ENCODED_AGENT_CONFIG_BYTES);
    expect(readAgentConfigFromEnv(toEnv(result.env))).toEqual({ ok: true, config });
    expect(readAgentConfigTextFromEnv(toEnv(result.env))).toMatchObject({ ok: true, checked: true });
  });

  it('refuses a config above the chunk limit, saying by how much', () => {
    const result = agentConfigEnvVars(incompressibleConfig(MAX_AGENT_CONFIG_CHUNKS * MAX_ENCODED_AGENT_CONFIG_BYTES + 100_000));
    expect(result).toMatchObject({ ok: false, maxBytes: MAX_AGENT_CONFIG_CHUNKS * MAX_ENCODED_AGENT_CONFIG_BYTES });
  });

  it("takes a config as checked only when the check matches this schema's check of exactly that text", () => {
    const config = parsed(anAgentConfig());
    const result = agentConfigEnvVars(config);
    if (!result.ok) throw new Error('expected the config to fit');
    const env = toEnv(result.env);
    const json = JSON.stringify(config);
    expect(env[AGENT_CONFIG_CHECK_ENV_VAR]).toBe(agentConfigCheck(json));
    expect(agentConfigCheck(json)).toMatch(/^[0-9a-f]{64}$/);
    // Edited after admission (one character), checked by another schema, or not checked at all.
    const edited = { ...env, [AGENT_CONFIG_ENV_VAR]: json.replace('"sidecar"', '"init"') };
    expect(edited[AGENT_CONFIG_ENV_VAR]).not.toBe(json);
    for (const other of [edited, { ...env, [AGENT_CONFIG_CHECK_ENV_VAR]: 'f'.repeat(64) }, { [AGENT_CONFIG_ENV_VAR]: json }]) {
      expect(readAgentConfigTextFromEnv(other)).toMatchObject({ ok: true, checked: false });
    }
  });

  it('hands over a validated config that validates to itself, so a checked one can be used as it stands', () => {
    for (const input of [anAgentConfig(), anAgentConfig({ mode: 'init', templates: [aTemplate({ perms: 0o600 }), aTemplate({ name: 'b', destination: '/vault/secrets/b' })] })]) {
      const once = JSON.parse(JSON.stringify(parsed(input))) as unknown;
      expect(readAgentConfigFromEnv({ [AGENT_CONFIG_ENV_VAR]: JSON.stringify(once) })).toEqual({ ok: true, config: once });
    }
  });

  it.each([
    [{}, 'is not set'],
    [{ [AGENT_CONFIG_ENV_VAR]: 'chunks:2', [`${AGENT_CONFIG_ENV_VAR}_1`]: 'gz64:AAAA' }, '_2 is missing'],
    [{ [AGENT_CONFIG_ENV_VAR]: 'chunks:99' }, 'expected chunks:'],
    [{ [AGENT_CONFIG_ENV_VAR]: 'garbage!' }, 'expected'],
  ])('explains a missing or broken environment %#', (env, message) => {
    const result = readAgentConfigFromEnv(env);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]!.message).toContain(message);
  });
});
