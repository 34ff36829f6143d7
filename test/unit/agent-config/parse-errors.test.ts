import { describe, expect, it } from 'vitest';
import { formatConfigPath, parseAgentConfig } from '../../../contract/agent-config/index.js';
import { aTemplate, anAgentConfig, errorAt, parseErrors, parsed } from './builders.js';

describe('parseAgentConfig errors', () => {
  it.each([
    { name: 'at the top level', input: { ...anAgentConfig(), tempaltes: [] }, path: 'tempaltes', message: 'unknown key; did you mean "templates"?' },
    { name: 'in vault', input: anAgentConfig({ vault: { address: 'https://v', tlsSkipVerfy: true } as never }), path: 'vault.tlsSkipVerfy', message: 'unknown key; did you mean "tlsSkipVerify"?' },
    { name: 'in a template', input: anAgentConfig({ templates: [aTemplate(), aTemplate({ name: 'b', destination: '/b', Perms: 0o600 } as never)] }), path: 'templates[1].Perms', message: 'unknown key; did you mean "perms"?' },
    { name: 'in auth', input: anAgentConfig({ auth: { method: 'kubernetes', role: 'r', token_path: '/t' } as never }), path: 'auth.token_path', message: 'unknown key; did you mean "tokenPath"?' },
    { name: 'far from any known key', input: anAgentConfig({ log: { colour: true } as never }), path: 'log.colour', message: 'unknown key; expected one of: level, format' },
  ])('rejects an unknown key $name, naming its path', ({ input, path, message }) => {
    expect(parseErrors(input)).toEqual([{ path, message }]);
  });

  it('keeps unknown keys inside auth.extra and telemetry', () => {
    const config = parsed(
      anAgentConfig({
        auth: { method: 'kubernetes', role: 'r', extra: { audience: 'vault', 'any.thing': 'x' } },
        telemetry: { prometheus_retention_time: '30s', disable_hostname: true, something_new: 1 },
      }),
    );
    expect(config.auth.extra).toEqual({ audience: 'vault', 'any.thing': 'x' });
    expect(config.telemetry).toEqual({ prometheus_retention_time: '30s', disable_hostname: true, something_new: 1 });
  });

  it('rejects a known telemetry key of the wrong type', () => {
    const errors = parseErrors(anAgentConfig({ telemetry: { statsd_address: 8125 } as never }));
    expect(errors).toEqual([{ path: 'telemetry.statsd_address', message: 'expected a string' }]);
  });

  it('rejects a newer version alone, naming the supported versions', () => {
    expect(parseErrors({ ...anAgentConfig(), version: 2, whatever: true })).toEqual([
      { path: 'version', message: 'unsupported AgentConfig version 2; this build supports version 1 (is the agent image older than the webhook?)' },
    ]);
  });

  it.each([
    { name: 'missing', version: undefined, message: 'required: expected the number 1 (supported versions: 1)' },
    { name: 'a string', version: '1', message: 'expected the number 1 (supported versions: 1)' },
  ])('rejects a version that is $name with the rest of the problems', ({ version, message }) => {
    const errors = parseErrors({ ...anAgentConfig({ mode: 'daemon' as never }), version });
    expect(errors).toEqual([
      { path: 'version', message },
      { path: 'mode', message: 'expected one of: init, sidecar, native-sidecar' },
    ]);
  });

  it('reports every problem at once', () => {
    const errors = parseErrors({
      version: 1,
      mode: 'sidecar',
      vault: { address: 'vault:8200', caCertPem: 'not pem', clientCertPath: '/tls.crt' },
      auth: { method: 'kubernetes', minBackoffMs: 2_000, maxBackoffMs: 1_000 },
      templates: [aTemplate({ destination: 'db' }), aTemplate({ name: 'api', destination: '/vault/secrets/api', source: '/x' })],
      templateConfig: { leaseRenewalThreshold: 1, retry: { backoffMs: 90_000 } },
      log: { level: 'verbose' },
      cache: {},
    });
    expect(errors.map((error) => error.path)).toEqual([
      'vault.address',
      'vault.caCertPem',
      'vault.clientKeyPath',
      'auth.role',
      'auth.minBackoffMs',
      'templates[0].destination',
      'templates[1]',
      'templateConfig.leaseRenewalThreshold',
      'templateConfig.retry.backoffMs',
      'log.level',
      'cache',
    ]);
    expect(errorAt(errors, 'vault.address').message).toBe('expected an http:// or https:// URL');
    expect(errorAt(errors, 'templateConfig.leaseRenewalThreshold').message).toBe('expected a fraction between 0 and 1 (exclusive)');
  });

  it.each([
    { name: 'undefined', input: undefined, message: 'required: expected object' },
    { name: 'null', input: null, message: 'expected object, got null' },
    { name: 'a string', input: 'version: 1', message: 'expected object, got a string' },
    { name: 'an array', input: [anAgentConfig()], message: 'expected object, got an array' },
  ])('rejects $name at the root without throwing', ({ input, message }) => {
    expect(parseAgentConfig(input)).toEqual({ ok: false, errors: [{ path: '(root)', message }] });
  });

  it('reports a value whose getter throws instead of throwing', () => {
    const hostile = { ...anAgentConfig() };
    Object.defineProperty(hostile, 'mode', { enumerable: true, get: () => { throw new Error('boom'); } });
    expect(parseAgentConfig(hostile)).toEqual({ ok: false, errors: [{ path: '(root)', message: expect.stringMatching(/threw/) }] });
  });

  it('never repeats rejected values in messages', () => {
    const canary = 'CANARY-s3cr3t';
    const errors = parseErrors(
      anAgentConfig({
        vault: { address: canary, namespace: 42 as never },
        auth: { method: 'kubernetes', role: 7 as never, extra: { [canary]: canary } },
        templates: [aTemplate({ engine: canary as never, destination: canary, contents: 3 as never })],
        log: { level: canary as never },
      }),
    );
    expect(errors.length).toBeGreaterThan(5);
    expect(errors.map((error) => error.message).join('\n')).not.toContain(canary);
  });

  it.each([
    { path: [], text: '(root)' },
    { path: ['templates', 2, 'destination'], text: 'templates[2].destination' },
    { path: ['auth', 'extra', 'a-b'], text: 'auth.extra["a-b"]' },
    { path: [0], text: '[0]' },
  ])('formats $path as $text', ({ path, text }) => {
    expect(formatConfigPath(path)).toBe(text);
  });
});
