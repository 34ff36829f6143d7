/**
 * One fetch of one request, as consul-template's dependencies do it: `read` (KV v2 detected
 * from the mount), `write` (`secret "path" "k=v"`), `list`, and `pkiCert` (reusing a still-good
 * certificate from the destination file). Transient Vault errors are thrown for the caller to
 * retry; a missing secret is a final error value.
 */
import type { PkiCertificate, SecretRequest, SecretValue } from '../templates/template-engine.js';
import { VaultError, type VaultSecret } from '../vault/vault-api.js';
import { kvV2ListPath, kvV2ReadPath, splitSecretPath, withQuery } from './kv-v2-path.js';
import type { KvMounts, VaultCall } from './kv-mounts.js';
import { isReusable, pkiBundleFromIssue, pkiBundleFromPem, type PkiBundle } from './pki-certificate.js';

export interface FetchDependencies {
  call: VaultCall;
  mounts: KvMounts;
  readFile(path: string): Promise<string>;
  nowMs(): number;
}

export interface FetchedValue {
  value: SecretValue;
  /** For `pkiCert`: the certificate's validity, and whether it came from the destination file. */
  certificate?: { notBeforeMs: number; notAfterMs: number; reused: boolean };
}

export async function fetchSecretValue(request: SecretRequest, deps: FetchDependencies, previous?: SecretValue): Promise<FetchedValue> {
  switch (request.kind) {
    case 'read':
      return { value: await readSecret(request.path, deps) };
    case 'write':
      return { value: await writeSecret(request.path, request.params, deps) };
    case 'list':
      return { value: await listSecrets(request.path, deps) };
    case 'pkiCert':
      return pkiCertificate(request, deps, previous);
  }
}

async function readSecret(rawPath: string, deps: FetchDependencies): Promise<SecretValue> {
  const { path, query } = splitSecretPath(rawPath);
  const mount = await deps.mounts.mountOf(path, deps.call);
  const kvVersion2 = mount?.kvVersion2 === true;
  const apiPath = mount !== undefined && kvVersion2 ? kvV2ReadPath(path, mount.mountPath) : path;
  const secret = await unlessNotFound(deps.call({ method: 'GET', path: withQuery(apiPath, query) }));
  if (secret === undefined || (kvVersion2 && isDeletedKvV2(secret, deps.nowMs()))) return noSecretAt(apiPath);
  return { kind: 'secret', secret };
}

async function writeSecret(rawPath: string, params: Readonly<Record<string, string>>, deps: FetchDependencies): Promise<SecretValue> {
  const { path } = splitSecretPath(rawPath);
  const secret = await deps.call({ method: 'PUT', path, body: { ...params } });
  // A write that answers 204 (KV v1, many config endpoints) still succeeded; templates see an
  // empty secret, as upstream.
  return { kind: 'secret', secret: secret ?? emptySecret() };
}

async function listSecrets(rawPath: string, deps: FetchDependencies): Promise<SecretValue> {
  const { path } = splitSecretPath(rawPath);
  const mount = await deps.mounts.mountOf(path, deps.call);
  const apiPath = mount?.kvVersion2 === true ? kvV2ListPath(path, mount.mountPath) : path;
  const answer = await unlessNotFound(deps.call({ method: 'LIST', path: apiPath }));
  // Nothing under the path is an empty list upstream, not an error.
  const keys = answer?.data?.keys;
  if (keys !== undefined && !Array.isArray(keys)) return { kind: 'error', message: `LIST ${apiPath} answered without a list of keys` };
  const names = (keys ?? []).filter((key): key is string => typeof key === 'string');
  return { kind: 'list', keys: names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)) };
}

async function pkiCertificate(
  request: Extract<SecretRequest, { kind: 'pkiCert' }>,
  deps: FetchDependencies,
  previous: SecretValue | undefined,
): Promise<FetchedValue> {
  const onDisk = await readBundle(request.destination, deps);
  if (onDisk !== undefined && isReusable(onDisk, deps.nowMs())) {
    // The file may hold only some of the PEMs; when it is the certificate we issued, keep ours.
    const certificate = previous?.kind === 'pkiCert' && previous.certificate.Cert === onDisk.certificate.Cert ? previous.certificate : onDisk.certificate;
    return pkiValue(certificate, onDisk, true);
  }
  const { path } = splitSecretPath(request.path);
  const answer = await deps.call({ method: 'PUT', path, body: { ...request.params } });
  if (answer === undefined) return { value: noSecretAt(path) };
  const issued = pkiBundleFromIssue(answer.data ?? {});
  if (issued === undefined) return { value: { kind: 'error', message: `PUT ${path} answered without a certificate` } };
  return pkiValue(issued.certificate, issued, false);
}

async function readBundle(destination: string, deps: FetchDependencies): Promise<PkiBundle | undefined> {
  try {
    return pkiBundleFromPem(await deps.readFile(destination));
  } catch {
    return undefined; // missing or unreadable: issue a new certificate, as upstream
  }
}

function pkiValue(certificate: PkiCertificate, validity: Pick<PkiBundle, 'notBeforeMs' | 'notAfterMs'>, reused: boolean): FetchedValue {
  return {
    value: { kind: 'pkiCert', certificate },
    certificate: { notBeforeMs: validity.notBeforeMs, notAfterMs: validity.notAfterMs, reused },
  };
}

/** KV v2 answers a deleted or destroyed version with `data: null` (and a deletion time). */
function isDeletedKvV2(secret: VaultSecret, nowMs: number): boolean {
  if (secret.data === null) return true;
  if (secret.data.data === null) return true;
  const metadata = secret.data.metadata;
  if (metadata === null || typeof metadata !== 'object') return false;
  const deletion = (metadata as Record<string, unknown>).deletion_time;
  if (typeof deletion !== 'string' || deletion === '') return false;
  const deletedMs = Date.parse(deletion);
  return Number.isFinite(deletedMs) && deletedMs <= nowMs;
}

async function unlessNotFound(answer: Promise<VaultSecret | undefined>): Promise<VaultSecret | undefined> {
  try {
    return await answer;
  } catch (err) {
    if (err instanceof VaultError && err.status === 404) return undefined;
    throw err;
  }
}

function noSecretAt(path: string): SecretValue {
  return { kind: 'error', message: `no secret exists at ${path}` };
}

function emptySecret(): VaultSecret {
  return { requestId: '', leaseId: '', leaseDuration: 0, renewable: false, data: {}, warnings: null, auth: null, wrapInfo: null };
}
