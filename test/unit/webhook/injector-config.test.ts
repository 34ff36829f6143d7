import { describe, expect, it } from 'vitest';
import { resolveInjectorConfig, DEFAULT_SETTINGS } from '../../../webhook/injector-config.js';

const tls = { 'tls-cert-file': '/certs/tls.crt', 'tls-key-file': '/certs/tls.key' };
const minimal = { ...tls, 'vault-address': 'https://vault:8200' };

describe('webhook configuration', () => {
  it('applies vault-k8s defaults', () => {
    const outcome = resolveInjectorConfig(minimal, {});
    expect(outcome).toMatchObject({
      ok: true,
      config: { host: '0.0.0.0', port: 8080, logLevel: 'info', tlsMinVersion: 'TLSv1.2', telemetryPath: '/metrics', annotationPrefix: 'vault.hashicorp.com/' },
    });
  });

  it('lets a non-empty AGENT_INJECT_* variable override its flag, as vault-k8s does', () => {
    const outcome = resolveInjectorConfig(
      { ...minimal, listen: ':9000', 'vault-image': 'flag/image' },
      { AGENT_INJECT_LISTEN: '127.0.0.1:8443', AGENT_INJECT_VAULT_IMAGE: 'env/image', AGENT_INJECT_CPU_LIMIT: '' },
    );
    expect(outcome.ok && outcome.config).toMatchObject({
      host: '127.0.0.1',
      port: 8443,
      injectorDefaults: { 'agent-image': 'env/image', service: 'https://vault:8200' },
    });
  });

  it('decodes a base64 CA certificate and keeps a PEM one', () => {
    const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    const fromB64 = resolveInjectorConfig({ ...minimal, 'vault-cacert-bytes': Buffer.from(pem).toString('base64') }, {});
    const fromPem = resolveInjectorConfig(minimal, { AGENT_INJECT_VAULT_CACERT_BYTES: pem });
    expect(fromB64.ok && fromB64.config.vaultCaCertPem).toBe(pem);
    expect(fromPem.ok && fromPem.config.vaultCaCertPem).toBe(pem);
  });

  it('reports every bad setting at once, naming flag and variable', () => {
    const outcome = resolveInjectorConfig(
      { listen: 'nowhere', 'run-as-user': 'root', 'cpu-limit': 'lots' },
      { AGENT_INJECT_TLS_MIN_VERSION: 'tls1000' },
    );
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.errors).toEqual(
      expect.arrayContaining([
        expect.stringContaining('--listen / AGENT_INJECT_LISTEN'),
        expect.stringContaining('--tls-cert-file'),
        expect.stringContaining('--tls-min-version / AGENT_INJECT_TLS_MIN_VERSION'),
        expect.stringContaining('--vault-address / AGENT_INJECT_VAULT_ADDR'),
        expect.stringContaining('--run-as-user / AGENT_INJECT_RUN_AS_USER'),
        expect.stringContaining('--cpu-limit / AGENT_INJECT_CPU_LIMIT'),
      ]),
    );
    expect(outcome.errors).toHaveLength(6);
  });

  it('declares a flag for every vault-k8s injector default', () => {
    const flags = DEFAULT_SETTINGS.map((s) => s.flag);
    expect(flags).toEqual(expect.arrayContaining(['vault-address', 'vault-image', 'cpu-request', 'memory-limit', 'run-as-user', 'default-template', 'revoke-on-shutdown']));
    expect(new Set(flags).size).toBe(flags.length);
  });
});
