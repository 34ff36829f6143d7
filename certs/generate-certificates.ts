/**
 * TLS material for the webhook: an ECDSA P-256 certificate authority and serving certificates it
 * signs, as PEM. Pure TypeScript (WebCrypto + @peculiar/x509), no openssl binary needed.
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { isIP } from 'node:net';
import { randomBytes, webcrypto } from 'node:crypto';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

type CryptoKeyPair = webcrypto.CryptoKeyPair;
type CryptoKey = webcrypto.CryptoKey;

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface CertificateAuthority {
  certPem: string;
  keyPem: string;
  /** For signing; not exported anywhere but PEM above. */
  readonly cert: x509.X509Certificate;
  readonly keys: CryptoKeyPair;
}

export interface ServingCertificate {
  certPem: string;
  keyPem: string;
  /** Colon-separated upper-case hex, as in Node's `X509Certificate#serialNumber` (no colons). */
  serialNumber: string;
}

export interface CaOptions {
  /** @default 'vault-injector CA' */
  commonName?: string;
  /** @default 365 */
  validityDays?: number;
}

export async function generateCa(options: CaOptions = {}): Promise<CertificateAuthority> {
  const { commonName = 'vault-injector CA', validityDays = 365 } = options;
  const keys = await generateKeys();
  const notBefore = new Date(Date.now() - 60_000);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: `CN=${commonName}`,
    notBefore,
    notAfter: new Date(notBefore.getTime() + validityDays * DAY_MS),
    signingAlgorithm: ALGORITHM,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert, keys, certPem: cert.toString('pem'), keyPem: await privateKeyPem(keys.privateKey) };
}

export interface ServingCertOptions {
  /** @default ['localhost'] */
  dnsNames?: string[];
  /** @default ['127.0.0.1'] */
  ipAddresses?: string[];
  /** @default 30 */
  validityDays?: number;
}

export async function issueServingCertificate(ca: CertificateAuthority, options: ServingCertOptions = {}): Promise<ServingCertificate> {
  const { dnsNames = ['localhost'], ipAddresses = ['127.0.0.1'], validityDays = 30 } = options;
  const keys = await generateKeys();
  const serialNumber = randomSerial();
  const notBefore = new Date(Date.now() - 60_000);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber,
    subject: `CN=${dnsNames[0] ?? ipAddresses[0] ?? 'webhook'}`,
    issuer: ca.cert.subject,
    notBefore,
    notAfter: new Date(notBefore.getTime() + validityDays * DAY_MS),
    signingAlgorithm: ALGORITHM,
    publicKey: keys.publicKey,
    signingKey: ca.keys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        ...dnsNames.map((value) => ({ type: 'dns' as const, value })),
        ...ipAddresses.map((value) => ({ type: 'ip' as const, value })),
      ]),
      await x509.AuthorityKeyIdentifierExtension.create(ca.keys.publicKey),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: await privateKeyPem(keys.privateKey), serialNumber: serialNumber.toUpperCase() };
}

function generateKeys(): Promise<CryptoKeyPair> {
  return webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']) as Promise<CryptoKeyPair>;
}

async function privateKeyPem(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

/** 16 random bytes, positive (high bit clear), as hex. */
function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = bytes[0]! & 0x7f;
  if (bytes[0] === 0) bytes[0] = 1;
  return bytes.toString('hex');
}

/** Splits host names and IP addresses (v4 or v6) for the SAN extension. */
export function splitHosts(hosts: readonly string[]): { dnsNames: string[]; ipAddresses: string[] } {
  const cleaned = hosts.map((h) => h.trim()).filter((h) => h !== '');
  return { dnsNames: cleaned.filter((h) => isIP(h) === 0), ipAddresses: cleaned.filter((h) => isIP(h) !== 0) };
}
