// TLS material for tests: the generator from certs/, plus the two ways certificate files change
// on disk: write-and-rename, and Kubernetes' Secret volume layout with its `..data` symlink swap.
import { randomBytes } from 'node:crypto';
import { mkdir, readlink, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateCa, issueServingCertificate, type CertificateAuthority, type ServingCertificate } from '../../certs/generate-certificates.js';

export { generateCa, issueServingCertificate };
export type { CertificateAuthority, ServingCertificate };

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
