/**
 * consul-template's KV v2 path rewriting: templates name `secret/foo` and the agent reads
 * `secret/data/foo` (or lists `secret/metadata/foo`) once the mount is known to be KV v2. Pure.
 */
import { posix } from 'node:path';

/** `secret/foo?version=2` → `{ path: 'secret/foo', query: 'version=2' }`; slashes around the path trimmed. */
export function splitSecretPath(raw: string): { path: string; query: string } {
  const at = raw.indexOf('?');
  const path = (at < 0 ? raw : raw.slice(0, at)).trim().replace(/^\/+|\/+$/g, '');
  return { path, query: at < 0 ? '' : raw.slice(at + 1) };
}

export function withQuery(path: string, query: string): string {
  return query === '' ? path : `${path}?${query}`;
}

/**
 * Paths already naming a KV v2 endpoint are kept. Upstream only checks `data/`; reading
 * `metadata/` or `subkeys/` through the rewrite would land on `data/metadata/…`, which never
 * exists, so we keep those too.
 */
const KV_V2_ENDPOINTS = ['data', 'metadata', 'subkeys'] as const;

/**
 * The path to GET for `rawPath` on the KV v2 mount `mountPath` (as Vault reports it, with a
 * trailing slash): `data/` inserted after the mount.
 */
export function kvV2ReadPath(rawPath: string, mountPath: string): string {
  const mount = trimSlash(mountPath);
  if (rawPath === mount || rawPath === `${mount}/`) return posix.join(mount, 'data');
  const rest = stripMount(rawPath, mount);
  if (KV_V2_ENDPOINTS.some((endpoint) => rest.startsWith(`${endpoint}/`))) return posix.join(mount, rest);
  return posix.join(mount, 'data', rest);
}

/** The path to LIST for `rawPath` on the KV v2 mount: `metadata/` inserted after the mount. */
export function kvV2ListPath(rawPath: string, mountPath: string): string {
  const mount = trimSlash(mountPath);
  // Upstream's prefix check has no trailing slash, so `metadata…` is kept as is; we match it.
  if (rawPath.startsWith(posix.join(mount, 'metadata'))) return rawPath;
  if (rawPath === mount) return posix.join(mount, 'metadata');
  return posix.join(mount, 'metadata', stripMount(rawPath, mount));
}

/** Whether `path` lies on the mount `mountPath` (which ends with `/`). */
export function isOnMount(path: string, mountPath: string): boolean {
  return `${path}/`.startsWith(mountPath.endsWith('/') ? mountPath : `${mountPath}/`);
}

function stripMount(path: string, mount: string): string {
  return path.startsWith(`${mount}/`) ? path.slice(mount.length + 1) : path;
}

function trimSlash(mountPath: string): string {
  return mountPath.replace(/\/+$/, '');
}
