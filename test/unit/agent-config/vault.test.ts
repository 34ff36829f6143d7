import { describe, expect, it } from 'vitest';
import { anAgentConfig, errorAt, parseErrors, parsed } from './builders.js';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----\n';

describe('vault connection', () => {
  it('accepts every TLS, proxy and client setting', () => {
    const vault = {
      address: 'http://vault.vault.svc:8200',
      namespace: 'team-a',
      caCertPath: '/vault/tls/ca.crt',
      caPath: '/vault/tls/cas',
      caCertPem: PEM,
      clientCertPath: '/vault/tls/tls.crt',
      clientKeyPath: '/vault/tls/tls.key',
      tlsServerName: 'vault.example.com',
      tlsSkipVerify: true,
      proxyAddress: 'http://proxy.infra:3128',
      requestTimeoutMs: 5_000,
      maxRetries: 0,
    };
    expect(parsed(anAgentConfig({ vault })).vault).toEqual(vault);
  });

  it.each([
    { name: 'an address without a scheme', vault: { address: 'vault:8200' }, path: 'vault.address', message: /http:\/\/ or https:\/\// },
    { name: 'an address with another scheme', vault: { address: 'unix:///vault.sock' }, path: 'vault.address', message: /http:\/\/ or https:\/\// },
    { name: 'no address', vault: {}, path: 'vault.address', message: /^required/ },
    { name: 'inline CA text that is not PEM', vault: { address: 'https://v', caCertPem: 'MIIB...' }, path: 'vault.caCertPem', message: /CERTIFICATE block/ },
    { name: 'a client key without a certificate', vault: { address: 'https://v', clientKeyPath: '/k' }, path: 'vault.clientCertPath', message: /set both or neither/ },
    { name: 'a request timeout of 0', vault: { address: 'https://v', requestTimeoutMs: 0 }, path: 'vault.requestTimeoutMs', message: /at least 1 millisecond/ },
    { name: 'negative retries', vault: { address: 'https://v', maxRetries: -1 }, path: 'vault.maxRetries', message: /from 0 to 100/ },
    { name: 'a relative CA path', vault: { address: 'https://v', caCertPath: 'ca.crt' }, path: 'vault.caCertPath', message: /absolute/ },
  ])('rejects $name', ({ vault, path, message }) => {
    expect(errorAt(parseErrors(anAgentConfig({ vault: vault as never })), path).message).toMatch(message);
  });
});
