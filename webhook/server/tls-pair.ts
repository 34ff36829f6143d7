/**
 * The serving certificate and key, read from their files and checked to form a usable pair before
 * anything serves them: Node must accept them as a TLS context with our version and cipher
 * settings, and the key must belong to the (first) certificate.
 */
import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createSecureContext, type SecureContextOptions, type SecureVersion } from 'node:tls';

export interface TlsFiles {
  certFile: string;
  keyFile: string;
}

export interface TlsSettings {
  minVersion: SecureVersion;
  /** OpenSSL cipher list (colon-separated); `undefined` keeps Node's defaults. */
  ciphers?: string | undefined;
}

/** File contents as read, with a hash to notice changes cheaply. */
export interface TlsFileContents {
  cert: string;
  key: string;
  contentHash: string;
}

/** A checked pair and what identifies its certificate (metadata only, safe to log). */
export interface TlsPair extends TlsFileContents {
  fingerprint256: string;
  serialNumber: string;
  notAfter: Date;
}

export const TlsErrorCode = {
  unreadable: 'TLS_FILE_UNREADABLE',
  invalid: 'TLS_PAIR_INVALID',
  keyMismatch: 'TLS_KEY_MISMATCH',
} as const;
export type TlsErrorCode = (typeof TlsErrorCode)[keyof typeof TlsErrorCode];

export class TlsLoadError extends Error {
  override readonly name = 'TlsLoadError';
  constructor(
    readonly code: TlsErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** vault-k8s takes a comma list of cipher names; OpenSSL (and Node) want colons. */
export function cipherList(commaList: string | undefined): string | undefined {
  const names = (commaList ?? '').split(/[,:]/).map((name) => name.trim()).filter((name) => name !== '');
  return names.length > 0 ? names.join(':') : undefined;
}

export async function readTlsFiles(files: TlsFiles): Promise<TlsFileContents> {
  const read = (path: string, what: string): Promise<string> =>
    readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new TlsLoadError(TlsErrorCode.unreadable, `cannot read the TLS ${what} file ${path}: ${error.code ?? error.message}`);
    });
  const [cert, key] = await Promise.all([read(files.certFile, 'certificate'), read(files.keyFile, 'key')]);
  const contentHash = createHash('sha256').update(cert).update('\0').update(key).digest('hex');
  return { cert, key, contentHash };
}

/** Throws a TlsLoadError unless the contents form a pair Node can serve with `settings`. */
export function checkTlsPair(contents: TlsFileContents, settings: TlsSettings): TlsPair {
  const certificate = attempt(() => new X509Certificate(contents.cert), 'the TLS certificate is not usable');
  const key = attempt(() => createPrivateKey(contents.key), 'the TLS key is not usable');
  if (!certificate.checkPrivateKey(key)) throw new TlsLoadError(TlsErrorCode.keyMismatch, 'the TLS key does not belong to the certificate');
  // The whole chain, the versions and the cipher list, as the server will use them.
  attempt(() => createSecureContext(secureContextOptions(contents, settings)), 'the TLS certificate and key cannot be served');
  return {
    ...contents,
    fingerprint256: certificate.fingerprint256,
    serialNumber: certificate.serialNumber,
    notAfter: new Date(certificate.validTo),
  };
}

/** Everything the server's secure context needs; `setSecureContext` replaces all of it at once. */
export function secureContextOptions(pair: Pick<TlsFileContents, 'cert' | 'key'>, settings: TlsSettings): SecureContextOptions {
  return {
    cert: pair.cert,
    key: pair.key,
    minVersion: settings.minVersion,
    ...(settings.ciphers !== undefined ? { ciphers: settings.ciphers } : {}),
  };
}

// OpenSSL's messages name the failing routine, never key material.
function attempt<T>(run: () => T, what: string): T {
  try {
    return run();
  } catch (error) {
    throw new TlsLoadError(TlsErrorCode.invalid, `${what}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
