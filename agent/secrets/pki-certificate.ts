/**
 * `pkiCert` certificates: the PEM bundle templates see, read from an issue response or from the
 * template's destination file, and whether one on disk can be reused (consul-template's
 * `pemsCert` and `goodFor`, reference §3.5).
 */
import { X509Certificate } from 'node:crypto';
import type { PkiCertificate } from '../templates/template-engine.js';
import { pkiRotationTimeMs } from '../lease/next-refresh-delay.js';
import { encodePem, isPrivateKeyBlock, parsePemBlocks } from './pem-blocks.js';

export interface PkiBundle {
  certificate: PkiCertificate;
  notBeforeMs: number;
  notAfterMs: number;
}

/**
 * The bundle in `text`: the leaf certificate (the last non-CA certificate), the private key (the
 * last key block), the CA (the last CA certificate) and every CA certificate as the chain.
 * `undefined` when there is no parsable leaf certificate — then a new one is issued.
 */
export function pkiBundleFromPem(text: string): PkiBundle | undefined {
  let leaf: { pem: string; x509: X509Certificate } | undefined;
  let key = '';
  const cas: string[] = [];
  for (const block of parsePemBlocks(text)) {
    if (isPrivateKeyBlock(block)) {
      key = encodePem(block);
      continue;
    }
    if (block.type !== 'CERTIFICATE') continue;
    let x509: X509Certificate;
    try {
      x509 = new X509Certificate(block.der);
    } catch {
      return undefined; // upstream treats an unparsable certificate as "issue a new one"
    }
    if (x509.ca) cas.push(encodePem(block));
    else leaf = { pem: encodePem(block), x509 };
  }
  if (leaf === undefined) return undefined;
  const notBeforeMs = Date.parse(leaf.x509.validFrom);
  const notAfterMs = Date.parse(leaf.x509.validTo);
  if (!Number.isFinite(notBeforeMs) || !Number.isFinite(notAfterMs)) return undefined;
  return { certificate: { Cert: leaf.pem, Key: key, CA: cas.at(-1) ?? '', CAChain: cas }, notBeforeMs, notAfterMs };
}

/**
 * The bundle of a `pki/issue` (or `pki/sign`) response. The chain comes from `ca_chain` when
 * Vault sends it (it is not PEM text upstream reads, being a list).
 */
export function pkiBundleFromIssue(data: Record<string, unknown>): PkiBundle | undefined {
  const text = ['certificate', 'issuing_ca', 'private_key']
    .map((field) => data[field])
    .filter((value): value is string => typeof value === 'string')
    .join('\n');
  const bundle = pkiBundleFromPem(text);
  if (bundle === undefined) return undefined;
  const chain = Array.isArray(data.ca_chain)
    ? data.ca_chain.filter((entry): entry is string => typeof entry === 'string').flatMap((pem) => parsePemBlocks(pem).map(encodePem))
    : [];
  if (chain.length > 0) bundle.certificate.CAChain = chain;
  return bundle;
}

/** A certificate on disk is reused until `NotBefore + 90 % of its lifetime`. */
export function isReusable(bundle: Pick<PkiBundle, 'notBeforeMs' | 'notAfterMs'>, nowMs: number): boolean {
  return nowMs < bundle.notAfterMs && nowMs < pkiRotationTimeMs(bundle.notBeforeMs, bundle.notAfterMs);
}
