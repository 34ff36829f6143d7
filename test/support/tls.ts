// TLS material for tests: an ECDSA P-256 CA and serving certificates it signs (SANs DNS localhost
// and IP 127.0.0.1 by default), as PEM, plus the two ways certificate files change on disk:
// write-and-rename, and Kubernetes' Secret volume layout with its `..data` symlink swap.
// The generator has no test dependencies so it can move to certs/ when the CLI needs it.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { randomBytes, webcrypto } from 'node:crypto';
import { mkdir, readlink, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

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
  /** @default 'vault-injector test CA' */
  commonName?: string;
  /** @default 365 */
  validityDays?: number;
}

export async function generateCa(options: CaOptions = {}): Promise<CertificateAuthority> {
  const { commonName = 'vault-injector test CA', validityDays = 365 } = options;
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

/** A CA and one serving certificate for localhost / 127.0.0.1. */
export async function generateTestTls(): Promise<{ ca: CertificateAuthority; serving: ServingCertificate }> {
  const ca = await generateCa();
  return { ca, serving: await issueServingCertificate(ca) };
}

/** Writes each file to a temporary name in the same directory and renames it into place. */
export async function writeFilesAtomically(files: Record<string, string>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    const temp = `${path}.tmp-${randomBytes(4).toString('hex')}`;
    await writeFile(temp, content, { mode: 0o600 });
    await rename(temp, path);
  }
}

/**
 * Kubernetes' AtomicWriter layout for a Secret volume: the data lives in `..<timestamp>/`,
 * `..data` links to it, and each key is a link `name -> ..data/name`. An update writes a new
 * timestamped directory, points `..data_tmp` at it and renames that over `..data` (one atomic
 * step that swaps every file at once), then deletes the old directory.
 */
export async function writeSecretVolume(dir: string, data: Record<string, string>): Promise<void> {
  await mkdir(dir, { recursive: true });
  const version = `..${new Date().toISOString().replace(/[-:.]/g, '_')}.${randomBytes(4).toString('hex')}`;
  await mkdir(join(dir, version));
  for (const [name, content] of Object.entries(data)) await writeFile(join(dir, version, name), content, { mode: 0o600 });
  const previous = await readlink(join(dir, '..data')).catch(() => undefined);
  await symlink(version, join(dir, '..data_tmp'));
  await rename(join(dir, '..data_tmp'), join(dir, '..data'));
  for (const name of Object.keys(data)) {
    await symlink(join('..data', name), join(dir, name)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
  }
  if (previous !== undefined) await rm(join(dir, previous), { recursive: true, force: true });
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
