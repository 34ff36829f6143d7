import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generateCa, issueServingCertificate, type CertificateAuthority, type ServingCertificate } from '../../../../certs/generate-certificates.js';
import { createSecretStore } from '../../../../agent/secrets/create-secret-store.js';
import { isReusable, pkiBundleFromIssue, pkiBundleFromPem } from '../../../../agent/secrets/pki-certificate.js';
import type { SecretStore } from '../../../../agent/secrets/secret-store.js';
import type { SecretRequest } from '../../../../agent/templates/template-engine.js';
import { aSecret, capturedLogger, fakeVault, manualClock, templateConfig, testTokens, type FakeVault } from './support.js';

const DAY_MS = 86_400_000;
let ca: CertificateAuthority;
let onDisk: ServingCertificate;
let issued: ServingCertificate;

beforeAll(async () => {
  ca = await generateCa({ commonName: 'pki test CA' });
  onDisk = await issueServingCertificate(ca, { validityDays: 1 });
  issued = await issueServingCertificate(ca, { validityDays: 1 });
});

/** Go's pem.EncodeToMemory shape: 64-column base64 and a newline after the END line. */
const goPem = /^-----BEGIN ([A-Z ]+)-----\n(?:[A-Za-z0-9+/=]{64}\n)*[A-Za-z0-9+/=]{1,64}\n-----END \1-----\n$/;

describe('certificate bundles read from PEM text', () => {
  it('finds the leaf, the key and the CA in any order, re-encoded as Go writes PEM', () => {
    const text = `junk before\n${ca.certPem}\r\n${onDisk.keyPem}\n\n${onDisk.certPem.replace(/\n/g, '\r\n')}`;
    const bundle = pkiBundleFromPem(text);
    expect(bundle?.certificate.Cert).toMatch(goPem);
    expect(bundle?.certificate.Cert.replace(/\s/g, '')).toBe(onDisk.certPem.replace(/\s/g, ''));
    expect(bundle?.certificate.Key).toMatch(goPem);
    expect(bundle?.certificate.Key).toContain('PRIVATE KEY');
    expect(bundle?.certificate.CA.replace(/\s/g, '')).toBe(ca.certPem.replace(/\s/g, ''));
    expect(bundle?.certificate.CAChain).toEqual([bundle?.certificate.CA]);
    expect(bundle!.notAfterMs - bundle!.notBeforeMs).toBe(DAY_MS);
  });

  it('has nothing to reuse without a leaf certificate or with a broken one', () => {
    expect(pkiBundleFromPem('')).toBeUndefined();
    expect(pkiBundleFromPem(ca.certPem)).toBeUndefined();
    expect(pkiBundleFromPem('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n')).toBeUndefined();
  });

  it("reads an issue response's certificate, key, CA and chain", () => {
    const bundle = pkiBundleFromIssue({
      certificate: issued.certPem.trim(),
      issuing_ca: ca.certPem.trim(),
      ca_chain: [ca.certPem.trim()],
      private_key: issued.keyPem.trim(),
      private_key_type: 'ec',
      serial_number: '01:02',
      expiration: 1,
    });
    expect(bundle?.certificate).toMatchObject({ Cert: expect.stringMatching(goPem) as string, Key: expect.stringMatching(goPem) as string, CA: expect.stringMatching(goPem) as string });
    expect(bundle?.certificate.CAChain).toHaveLength(1);
  });
});

describe('a certificate on disk is reused until 90 % of its lifetime', () => {
  const notBeforeMs = 1_000_000;
  const notAfterMs = notBeforeMs + 100_000;
  it.each([
    ['fresh', notBeforeMs + 1_000, true],
    ['at 89.9 %', notBeforeMs + 89_900, true],
    ['at 90 %', notBeforeMs + 90_000, false],
    ['expired', notAfterMs + 1, false],
  ])('%s: %s', (_, nowMs, reusable) => {
    expect(isReusable({ notBeforeMs, notAfterMs }, nowMs)).toBe(reusable);
  });
});

describe('pkiCert requests', () => {
  let stores: SecretStore[] = [];
  afterEach(async () => {
    await Promise.all(stores.map((store) => store.stop()));
    stores = [];
  });

  const request: SecretRequest = { kind: 'pkiCert', path: 'pki/issue/web', params: { common_name: 'web.example.com' }, destination: '/vault/secrets/web.pem' };

  function setUp(files: Record<string, string>, startMs = Date.now()) {
    const vault: FakeVault = fakeVault({
      'PUT pki/issue/web': () => aSecret({ data: { certificate: issued.certPem, issuing_ca: ca.certPem, private_key: issued.keyPem, ca_chain: [ca.certPem] } }),
    });
    const clock = manualClock(startMs);
    const reads: string[] = [];
    const readFile = async (path: string): Promise<string> => {
      reads.push(path);
      const content = files[path];
      if (content === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
      return content;
    };
    const store = createSecretStore({ client: vault, tokens: testTokens(), config: templateConfig(), logger: capturedLogger().logger, clock, random: () => 0.5, readFile });
    stores.push(store);
    return { vault, clock, store, reads };
  }

  it('reuses a still-valid certificate from the destination without calling Vault', async () => {
    const { vault, store, reads } = setUp({ '/vault/secrets/web.pem': `${onDisk.certPem}${onDisk.keyPem}${ca.certPem}` });
    await store.fetch([request]);
    expect(reads).toEqual(['/vault/secrets/web.pem']);
    expect(vault.requests).toEqual([]);
    const value = store.lookup(request);
    expect(value?.kind === 'pkiCert' && value.certificate.Cert.replace(/\s/g, '')).toBe(onDisk.certPem.replace(/\s/g, ''));
  });

  it('issues a certificate with the parameters when the destination has none', async () => {
    const { vault, store } = setUp({});
    await store.fetch([request]);
    expect(vault.requests).toMatchObject([{ method: 'PUT', path: 'pki/issue/web', body: { common_name: 'web.example.com' } }]);
    const value = store.lookup(request);
    expect(value?.kind === 'pkiCert' && value.certificate.Cert.replace(/\s/g, '')).toBe(issued.certPem.replace(/\s/g, ''));
  });

  it('issues a new certificate when the one on disk is past 90 % of its lifetime', async () => {
    const { vault, store } = setUp({ '/vault/secrets/web.pem': onDisk.certPem }, Date.now() + 0.95 * DAY_MS);
    await store.fetch([request]);
    expect(vault.requests).toHaveLength(1);
  });

  it('keeps reusing the file until the rotation time, then issues anew', async () => {
    const files: Record<string, string> = { '/vault/secrets/web.pem': onDisk.certPem };
    const { vault, store, clock } = setUp(files);
    await store.fetch([request]);
    store.track([request]);
    await clock.advance(0.85 * DAY_MS);
    expect(vault.requests).toHaveLength(0);
    await clock.advance(0.06 * DAY_MS);
    expect(vault.requests).toHaveLength(1);
  });
});
