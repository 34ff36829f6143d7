import { describe, expect, it } from 'vitest';
import { checkTlsPair, cipherList, TlsErrorCode, TlsLoadError } from '../../../../webhook/server/tls-pair.js';
import { generateTestTls, issueServingCertificate } from '../../../support/tls.js';

const settings = { minVersion: 'TLSv1.2' as const };

function contents(cert: string, key: string) {
  return { cert, key, contentHash: 'h' };
}

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return error instanceof TlsLoadError ? error.code : `not a TlsLoadError: ${String(error)}`;
  }
}

describe('checkTlsPair', () => {
  it('accepts a matching pair and reports what identifies the certificate', async () => {
    const { serving } = await generateTestTls();
    const pair = checkTlsPair(contents(serving.certPem, serving.keyPem), settings);
    expect(pair.serialNumber).toBe(serving.serialNumber);
    expect(pair.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(pair.notAfter.getTime()).toBeGreaterThan(Date.now());
  });

  it('rejects a key that belongs to another certificate', async () => {
    const { ca, serving } = await generateTestTls();
    const other = await issueServingCertificate(ca);
    expect(codeOf(() => checkTlsPair(contents(serving.certPem, other.keyPem), settings))).toBe(TlsErrorCode.keyMismatch);
  });

  it('rejects half-written files', async () => {
    const { serving } = await generateTestTls();
    expect(codeOf(() => checkTlsPair(contents(serving.certPem.slice(0, 200), serving.keyPem), settings))).toBe(TlsErrorCode.invalid);
    expect(codeOf(() => checkTlsPair(contents(serving.certPem, ''), settings))).toBe(TlsErrorCode.invalid);
  });

  it('rejects a cipher list OpenSSL does not know', async () => {
    const { serving } = await generateTestTls();
    expect(codeOf(() => checkTlsPair(contents(serving.certPem, serving.keyPem), { ...settings, ciphers: 'suite1' }))).toBe(TlsErrorCode.invalid);
  });
});

describe('cipherList', () => {
  it("turns vault-k8s's comma list into OpenSSL's colon list", () => {
    expect(cipherList('ECDHE-ECDSA-AES128-GCM-SHA256, ECDHE-RSA-AES128-GCM-SHA256')).toBe('ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256');
    expect(cipherList('')).toBeUndefined();
    expect(cipherList(undefined)).toBeUndefined();
  });
});
