/**
 * The TLS settings of the agent's Vault connection, read from the config's files once when a
 * client is built. CA precedence follows Vault's API client: inline PEM, else the CA file, else
 * every certificate file in the CA directory; none of them → the system roots. Setting any CA
 * replaces the system roots, as in Vault.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { VaultConnection } from '../../contract/agent-config/index.js';

export interface TlsSettings {
  /** CA certificates (PEM), replacing the system roots; undefined → system roots. */
  ca?: string[];
  /** Client certificate and key (PEM) for mutual TLS. */
  cert?: string;
  key?: string;
  /** SNI and the name the server certificate must carry. */
  servername?: string;
  rejectUnauthorized: boolean;
}

/** The fields of the connection that decide TLS. */
export type TlsConnection = Pick<
  VaultConnection,
  'caCertPem' | 'caCertPath' | 'caPath' | 'clientCertPath' | 'clientKeyPath' | 'tlsServerName' | 'tlsSkipVerify'
>;

/** A CA or client-certificate file could not be used; says which setting, never the content. */
export class TlsConfigError extends Error {
  override readonly name = 'TlsConfigError';
  constructor(
    readonly code: 'TLS_FILE_UNREADABLE' | 'TLS_NO_CERTIFICATES',
    readonly setting: string,
    message: string,
  ) {
    super(message);
  }
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----/;

export async function loadTlsSettings(connection: TlsConnection): Promise<TlsSettings> {
  const settings: TlsSettings = { rejectUnauthorized: !connection.tlsSkipVerify };
  const ca = await loadCa(connection);
  if (ca !== undefined) settings.ca = ca;
  if (connection.clientCertPath !== undefined && connection.clientKeyPath !== undefined) {
    settings.cert = await readSetting(connection.clientCertPath, 'clientCertPath');
    settings.key = await readSetting(connection.clientKeyPath, 'clientKeyPath');
  }
  if (connection.tlsServerName !== undefined) settings.servername = connection.tlsServerName;
  return settings;
}

async function loadCa(connection: TlsConnection): Promise<string[] | undefined> {
  if (connection.caCertPem !== undefined) return [connection.caCertPem];
  if (connection.caCertPath !== undefined) {
    const pem = await readSetting(connection.caCertPath, 'caCertPath');
    if (!PEM_CERTIFICATE.test(pem)) {
      throw new TlsConfigError('TLS_NO_CERTIFICATES', 'caCertPath', `caCertPath ${connection.caCertPath} holds no PEM certificate`);
    }
    return [pem];
  }
  if (connection.caPath !== undefined) return loadCaDirectory(connection.caPath);
  return undefined;
}

/**
 * Every regular file with a PEM certificate in `dir`. Kubernetes' `..data` links and timestamped
 * directories are skipped; the visible names link into them.
 */
async function loadCaDirectory(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).sort();
  } catch (error) {
    throw unreadable('caPath', dir, error);
  }
  const pems: string[] = [];
  for (const name of names) {
    if (name.startsWith('..')) continue;
    const path = join(dir, name);
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) continue;
    const pem = await readSetting(path, 'caPath');
    if (PEM_CERTIFICATE.test(pem)) pems.push(pem);
  }
  if (pems.length === 0) throw new TlsConfigError('TLS_NO_CERTIFICATES', 'caPath', `caPath ${dir} holds no PEM certificate file`);
  return pems;
}

async function readSetting(path: string, setting: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw unreadable(setting, path, error);
  }
}

function unreadable(setting: string, path: string, error: unknown): TlsConfigError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? 'unknown error';
  return new TlsConfigError('TLS_FILE_UNREADABLE', setting, `${setting} ${path} cannot be read (${code})`);
}
