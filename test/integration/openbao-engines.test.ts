import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { enablePki, enableTransit, uniqueName } from '../support/openbao-secrets.js';
import { sharedOpenBao } from '../support/shared-test-bed.js';
import { vaultErrorStatus } from '../support/vault-client.js';

describe('OpenBao PKI and transit engines', () => {
  const bao = sharedOpenBao();

  it('issues a certificate for a subdomain that is signed by the generated root CA', async () => {
    const pki = await enablePki(bao, uniqueName('pki'));

    const issued = (await bao.client().write(`${pki.path}/issue/${pki.role}`, {
      common_name: 'api.example.com',
      alt_names: 'localhost',
      ttl: '1h',
    })) as { data: { certificate: string; issuing_ca: string; private_key: string; serial_number: string } };

    const ca = new X509Certificate(pki.caPem);
    const leaf = new X509Certificate(issued.data.certificate);
    expect(leaf.issuer).toBe(ca.subject);
    expect(leaf.checkIssued(ca)).toBe(true);
    expect(leaf.verify(ca.publicKey)).toBe(true);
    expect(leaf.subjectAltName).toContain('DNS:api.example.com');
    expect(leaf.subjectAltName).toContain('DNS:localhost');
    expect(issued.data.issuing_ca.trim()).toBe(pki.caPem.trim());
  });

  it('refuses to issue for a domain outside the role', async () => {
    const pki = await enablePki(bao, uniqueName('pki'));

    const outcome = await bao
      .client()
      .write(`${pki.path}/issue/${pki.role}`, { common_name: 'evil.test', ttl: '1h' })
      .then(() => 'issued', (err: unknown) => vaultErrorStatus(err));

    expect(outcome).toBe(400);
  });

  it('round-trips data through transit encrypt and decrypt', async () => {
    const transit = await enableTransit(bao, uniqueName('transit'));
    const client = bao.client();
    const plaintext = Buffer.from('transit-canary').toString('base64');

    const encrypted = (await client.write(`${transit.path}/encrypt/${transit.key}`, { plaintext })) as {
      data: { ciphertext: string };
    };
    const decrypted = (await client.write(`${transit.path}/decrypt/${transit.key}`, {
      ciphertext: encrypted.data.ciphertext,
    })) as { data: { plaintext: string } };

    expect(encrypted.data.ciphertext).toMatch(/^vault:v1:/);
    expect(Buffer.from(decrypted.data.plaintext, 'base64').toString()).toBe('transit-canary');
  });
});
