// A private OpenBao for the agent-auth tests: dev mode (in memory, unsealed, plain HTTP for setup
// through the node-vault helpers) plus, from a config file, a TLS listener with a test CA (cert
// auth needs TLS; the agent's CA, SNI and proxy settings are tried against it) and a file audit
// device (OpenBao refuses `sys/audit` over the API), so tests count logins and renewals as
// OpenBao saw them.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { randomBytes, webcrypto } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { getFreePort } from '../support/free-port.js';
import { startManagedProcess } from '../support/managed-process.js';
import { connectOpenBao, ensureBao, type OpenBaoConnection } from '../support/openbao.js';
import { makeTempDir, removeTempDir } from '../support/temp-dir.js';
import { generateCa, issueServingCertificate, type CertificateAuthority } from '../support/tls.js';
import { waitFor } from '../support/wait-for.js';

export interface AuditEntry {
  type: 'request' | 'response';
  auth?: { policies?: string[]; display_name?: string };
  request: { path: string; operation: string };
}

export interface AuthTestServer extends OpenBaoConnection {
  /** `https://127.0.0.1:<port>`; its certificate names localhost and 127.0.0.1. */
  tlsAddr: string;
  /** The CA of the TLS listener, as PEM and as a file. */
  caPem: string;
  caFile: string;
  dir: string;
  /** Requests OpenBao audited so far. */
  auditedRequests(): Promise<AuditEntry[]>;
  stop(): Promise<void>;
}

export async function startAuthTestServer(): Promise<AuthTestServer> {
  const bao = await ensureBao();
  const dir = await makeTempDir('agent-auth');
  const ca = await generateCa({ commonName: 'agent-auth test Vault CA' });
  const serving = await issueServingCertificate(ca);
  const caFile = join(dir, 'vault-ca.pem');
  await writeFile(caFile, ca.certPem);
  await writeFile(join(dir, 'vault.pem'), serving.certPem);
  await writeFile(join(dir, 'vault-key.pem'), serving.keyPem, { mode: 0o600 });
  const auditFile = join(dir, 'audit.log');
  const port = await getFreePort('127.0.0.1', 4); // dev listener, its cluster port, TLS listener, its cluster port
  await writeFile(join(dir, 'tls.hcl'), serverConfig(dir, port + 2, auditFile));
  const rootToken = randomBytes(16).toString('hex');
  const child = startManagedProcess({
    command: bao,
    args: ['server', '-dev', '-dev-no-store-token', `-dev-listen-address=127.0.0.1:${port}`, `-config=${join(dir, 'tls.hcl')}`, '-log-level=warn'],
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, BAO_DEV_ROOT_TOKEN_ID: rootToken },
    cwd: dir,
    logFile: join(dir, 'openbao.log'),
  });
  const addr = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await child.stop();
    await removeTempDir(dir);
  };
  try {
    await waitFor(async () => ((await fetch(`${addr}/v1/sys/health`)).status === 200 ? true : undefined), {
      what: 'the agent-auth OpenBao',
      abortReason: () => (child.exitStatus() === undefined ? undefined : `bao exited (${child.exitStatus()})`),
    });
  } catch (error) {
    const log = await child.logTail([rootToken]);
    await stop();
    throw new Error(`OpenBao did not start:\n${log}`, { cause: error });
  }
  return {
    ...connectOpenBao({ addr, rootToken }),
    tlsAddr: `https://127.0.0.1:${port + 2}`,
    caPem: ca.certPem,
    caFile,
    dir,
    auditedRequests: async () =>
      (await readFile(auditFile, 'utf8'))
        .split('\n')
        // The last piece is a line OpenBao is still writing (or ''): only whole lines count.
        .slice(0, -1)
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as AuditEntry)
        .filter((entry) => entry.type === 'request'),
    stop,
  };
}

function serverConfig(dir: string, tlsPort: number, auditFile: string): string {
  return `listener "tcp" {
  address         = "127.0.0.1:${tlsPort}"
  cluster_address = "127.0.0.1:${tlsPort + 1}"
  tls_cert_file   = "${join(dir, 'vault.pem')}"
  tls_key_file    = "${join(dir, 'vault-key.pem')}"
}

audit "file" "file" {
  options {
    file_path = "${auditFile}"
  }
}
`;
}

/** A client certificate (clientAuth) signed by `ca`, as PEM. */
export async function issueClientCertificate(ca: CertificateAuthority, commonName: string): Promise<{ certPem: string; keyPem: string }> {
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
  const keys = (await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const notBefore = new Date(Date.now() - 60_000);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: `01${randomBytes(15).toString('hex')}`,
    subject: `CN=${commonName}`,
    issuer: ca.cert.subject,
    notBefore,
    notAfter: new Date(notBefore.getTime() + 24 * 60 * 60 * 1000),
    signingAlgorithm: algorithm,
    publicKey: keys.publicKey,
    signingKey: ca.keys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
      await x509.AuthorityKeyIdentifierExtension.create(ca.keys.publicKey),
    ],
  });
  const der = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return { certPem: cert.toString('pem'), keyPem: x509.PemConverter.encode(der, 'PRIVATE KEY') };
}
