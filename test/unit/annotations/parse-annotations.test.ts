import { describe, expect, it } from 'vitest';
import { parseAnnotations, type ParseOutcome } from '../../../contract/annotations/index.js';
import { annotations, injectable, PREFIX } from '../../builders/annotations.js';

function specOf(outcome: ParseOutcome) {
  if (!outcome.ok) throw new Error(`expected a valid spec, got: ${JSON.stringify(outcome.errors)}`);
  return outcome.spec;
}
const errorKeys = (outcome: ParseOutcome) => (outcome.ok ? [] : outcome.errors.map((e) => e.key));
const warningKeys = (outcome: ParseOutcome) => outcome.warnings.map((w) => w.key);

describe('parseAnnotations', () => {
  it('reports every bad annotation at once, each naming its key and what was expected', () => {
    const outcome = parseAnnotations(
      annotations({ 'agent-inject': 'yes', 'agent-run-as-user': 'abc', 'auth-min-backoff': '5 parsecs' }),
    );
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.errors).toHaveLength(3);
    expect(outcome.errors).toEqual([
      { key: `${PREFIX}agent-inject`, message: expect.stringContaining('boolean') },
      { key: `${PREFIX}agent-run-as-user`, message: expect.stringContaining('user ID') },
      { key: `${PREFIX}auth-min-backoff`, message: expect.stringContaining('duration') },
    ]);
  });

  it('never repeats an annotation value in its messages', () => {
    const canary = 'canary-value-4f2a';
    const outcome = parseAnnotations(
      annotations({
        'agent-inject': canary,
        'agent-run-as-user': canary,
        'agent-limits-cpu': canary,
        'agent-inject-perms-x': canary,
        [`unknown-${'key'}`]: canary,
      }),
    );
    expect(JSON.stringify(outcome)).not.toContain(canary);
  });

  it('applies vault-k8s defaults when nothing is set', () => {
    const spec = specOf(parseAnnotations(injectable()));
    expect(spec).toMatchObject({
      inject: true,
      prePopulate: true,
      prePopulateOnly: false,
      authType: 'kubernetes',
      authPath: 'auth/kubernetes',
      runAsUser: 100,
      runAsGroup: 1000,
      setSecurityContext: true,
      limitsCpu: '500m',
      limitsMem: '128Mi',
      requestsCpu: '250m',
      requestsMem: '64Mi',
      revokeGrace: 5,
      defaultTemplate: 'map',
      secretVolumePath: '/vault/secrets',
      logLevel: 'info',
      logFormat: 'standard',
      templateConfigExitOnRetryFailure: true,
      cacheListenerPort: 8200,
    });
    expect(spec.shareProcessNamespace).toBeUndefined();
    expect(spec.limitsEphemeral).toBeUndefined();
  });

  it('lets injector defaults replace catalog defaults, and annotations replace both, even when empty', () => {
    const injectorDefaults = { 'agent-limits-cpu': '1', 'agent-requests-cpu': '100m', service: 'https://vault:8200' };
    const spec = specOf(
      parseAnnotations(annotations({ 'agent-inject': 'true', role: 'r', 'agent-limits-cpu': '' }), { injectorDefaults }),
    );
    expect(spec.limitsCpu).toBeUndefined();
    expect(spec.requestsCpu).toBe('100m');
    expect(spec.service).toBe('https://vault:8200');
  });

  it('names the injector setting when an injector default is invalid', () => {
    const outcome = parseAnnotations(injectable(), { injectorDefaults: { 'agent-run-as-user': 'nobody' } });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.errors[0]!.message).toContain('AGENT_INJECT_RUN_AS_USER');
  });

  it('honours a configured prefix and ignores annotations outside it', () => {
    const outcome = parseAnnotations(
      { ...annotations({ 'agent-inject': 'true', role: 'r', service: 'http://v:8200' }, 'vault.example.org/'), 'other/x': 'y' },
      { prefix: 'vault.example.org/' },
    );
    expect(specOf(outcome).inject).toBe(true);
  });

  it('treats an absent or empty annotation map as no injection', () => {
    expect(specOf(parseAnnotations(undefined)).inject).toBe(false);
    expect(specOf(parseAnnotations({})).inject).toBe(false);
  });

  describe('required settings for a pod that opts in', () => {
    it('asks for a Vault address and a role', () => {
      const outcome = parseAnnotations(annotations({ 'agent-inject': 'true' }));
      expect(errorKeys(outcome)).toEqual([`${PREFIX}role`, `${PREFIX}service`]);
    });
    it('accepts auth-config-role instead of role', () => {
      const outcome = parseAnnotations(
        annotations({ 'agent-inject': 'true', 'auth-config-role': 'app', service: 'https://v:8200' }),
      );
      expect(outcome.ok).toBe(true);
    });
    it('does not require a role for other auth methods', () => {
      const outcome = parseAnnotations(
        annotations({ 'agent-inject': 'true', 'auth-type': 'approle', service: 'https://v:8200' }),
      );
      expect(outcome.ok).toBe(true);
    });
    it('requires nothing of a pod that does not opt in', () => {
      expect(parseAnnotations(annotations({ 'agent-inject': 'false' })).ok).toBe(true);
    });
  });

  it.each([
    ['agent-revoke-grace', '-1'],
    ['agent-revoke-grace', 'foobar'],
    ['agent-run-as-user', 'root'],
    ['agent-run-as-group', '-5'],
    ['agent-set-security-context', 'secure'],
    ['auth-min-backoff', 'x'],
    ['auth-max-backoff', '10'],
    ['agent-limits-mem', '1 GB'],
    ['agent-requests-cpu', 'lots'],
    ['agent-inject-default-template', 'jsn'],
    ['agent-inject-default-template', ''],
    ['template-lease-renewal-threshold', 'one-third'],
    ['template-max-connections-per-host', 'many'],
    ['agent-json-patch', '{"op":"add"}'],
    ['agent-init-json-patch', 'not json'],
    ['auth-type', 'aws'],
    ['service', 'vault:8200'],
    ['agent-cache-listener-port', '70000'],
    ['agent-pre-populate', 'maybe'],
    ['secret-volume-path', 'relative/path'],
    ['agent-native-sidecar', 'sure'],
    ['agent-template-engine', 'jinja'],
    ['secret-volume-size-limit', 'big'],
  ])('denies %s = %j, naming the key', (key, value) => {
    expect(errorKeys(parseAnnotations(injectable({ [key]: value })))).toEqual([PREFIX + key]);
  });

  it.each([
    ['agent-inject-default-template', 'JSON', 'defaultTemplate', 'json'],
    ['agent-inject-default-template', 'MAP', 'defaultTemplate', 'map'],
    ['agent-limits-mem', '1G', 'limitsMem', '1G'],
    ['auth-max-backoff', '10m', 'authMaxBackoff', 600_000],
    ['template-static-secret-render-interval', '30s', 'staticSecretRenderInterval', 30_000],
    ['client-timeout', '30', 'clientTimeout', 30_000],
    ['template-lease-renewal-threshold', '0.5', 'leaseRenewalThreshold', 0.5],
    ['agent-inject-containers', 'web, sidecar', 'injectContainers', ['web', 'sidecar']],
    ['auth-path', 'auth/cluster-a/', 'authPath', 'auth/cluster-a'],
    ['agent-share-process-namespace', 'true', 'shareProcessNamespace', true],
    ['agent-native-sidecar', 'true', 'nativeSidecar', true],
    ['agent-init-timeout', '90s', 'initTimeout', 90_000],
  ] as const)('reads %s = %j into %s', (key, value, field, expected) => {
    expect(specOf(parseAnnotations(injectable({ [key]: value })))[field]).toEqual(expected);
  });

  it('refuses a minimum login backoff above the maximum', () => {
    const outcome = parseAnnotations(injectable({ 'auth-min-backoff': '10m', 'auth-max-backoff': '1m' }));
    expect(errorKeys(outcome)).toEqual([`${PREFIX}auth-min-backoff`]);
  });

  it('warns about unknown keys under the prefix instead of denying', () => {
    const outcome = parseAnnotations(injectable({ 'agent-inject-sidecar': 'true', 'agent-inject-TEMPLATE-x': 't' }));
    expect(outcome.ok).toBe(true);
    expect(warningKeys(outcome)).toEqual([`${PREFIX}agent-inject-TEMPLATE-x`, `${PREFIX}agent-inject-sidecar`]);
  });

  it('warns, as vault-k8s silently does not, when preserve-secret-case is not a boolean', () => {
    const outcome = parseAnnotations(injectable({ 'preserve-secret-case': 'maybe' }));
    expect(specOf(outcome).preserveSecretCase).toBe(false);
    expect(warningKeys(outcome)).toContain(`${PREFIX}preserve-secret-case`);
  });

  it('warns about annotations it accepts but cannot honour, and only when they ask for something', () => {
    expect(warningKeys(parseAnnotations(injectable({ 'agent-cache-enable': 'true', 'go-max-procs': '2' })))).toEqual([
      `${PREFIX}agent-cache-enable`,
      `${PREFIX}go-max-procs`,
    ]);
    expect(warningKeys(parseAnnotations(injectable({ 'agent-cache-enable': 'false' })))).toEqual([]);
  });

  it('denies a ConfigMap-configured agent with a message that says why', () => {
    const outcome = parseAnnotations(injectable({ 'agent-configmap': 'my-config' }));
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.errors[0]!.message).toMatch(/not supported.*HCL/);
  });

  it('denies values that are not strings (never sent by a real API server)', () => {
    const outcome = parseAnnotations({ ...injectable(), [`${PREFIX}agent-run-as-user`]: 100 });
    expect(errorKeys(outcome)).toEqual([`${PREFIX}agent-run-as-user`]);
  });

  it('turns auth-config-* into login parameters with underscores, values kept as strings', () => {
    const spec = specOf(parseAnnotations(injectable({ 'auth-config-token-path': '/t', 'auth-config-max-ttl': '30' })));
    expect(spec.authConfig).toEqual({ token_path: '/t', max_ttl: '30' });
  });

  it('types telemetry settings and warns that they have no effect here', () => {
    const outcome = parseAnnotations(
      injectable({
        'agent-telemetry-disable-hostname': 'true',
        'agent-telemetry-statsd-address': '8125',
        'agent-telemetry-prefix-filter': '["+vault.token", "-vault.expire"]',
        'agent-telemetry-maximum-gauge-cardinality': '3',
      }),
    );
    expect(specOf(outcome).telemetry).toEqual({
      disable_hostname: true,
      statsd_address: '8125',
      prefix_filter: ['+vault.token', '-vault.expire'],
      maximum_gauge_cardinality: 3,
    });
    expect(outcome.warnings).toHaveLength(4);
    expect(errorKeys(parseAnnotations(injectable({ 'agent-telemetry-disable-hostname': 'nope' })))).toEqual([
      `${PREFIX}agent-telemetry-disable-hostname`,
    ]);
  });
});
