/**
 * Which KV version a path's mount is, asked once per mount through
 * `GET sys/internal/ui/mounts/<path>` (consul-template's preflight) and remembered.
 */
import type { Logger } from '../observe/logger.js';
import { VaultError, type VaultRequest, type VaultSecret } from '../vault/vault-api.js';
import { isOnMount } from './kv-v2-path.js';

export interface KvMount {
  /** As Vault reports it, with a trailing slash (`secret/`, `kv/team-a/`). */
  mountPath: string;
  kvVersion2: boolean;
}

export type VaultCall = (request: Omit<VaultRequest, 'token' | 'namespace' | 'signal'>) => Promise<VaultSecret | undefined>;

export interface KvMounts {
  /** The mount of `path`, or `undefined` when it could not be told (then the path is used as is). */
  mountOf(path: string, call: VaultCall): Promise<KvMount | undefined>;
}

export function createKvMounts(logger: Logger): KvMounts {
  const known: KvMount[] = [];
  // A refused lookup is not remembered: a revoked token is refused too, and remembering that
  // would read KV v2 paths unrewritten after the next login. The warning is given once per path.
  const warned = new Set<string>();

  // Lookups in flight by the path's first segment: templates usually read many paths of one
  // mount at once, and waiting for the first answer makes that one lookup instead of many.
  const inFlight = new Map<string, Promise<unknown>>();

  const lookUp = async (path: string, call: VaultCall): Promise<KvMount | undefined> => {
    try {
      const answer = await call({ method: 'GET', path: `sys/internal/ui/mounts/${path}` });
      const found = mountFromAnswer(answer?.data ?? null);
      if (found !== undefined && !known.some((mount) => mount.mountPath === found.mountPath)) known.push(found);
      return found;
    } catch (err) {
      // Network trouble is retried by the caller; a refusal (403 for tokens without access to
      // the endpoint, 404 on servers without it) means "not KV v2", as upstream.
      if (!(err instanceof VaultError) || err.isTransient || err.code === 'VAULT_ABORTED') throw err;
      if (!warned.has(path)) {
        warned.add(path);
        logger.warn({ path, err }, 'could not tell the KV version of the mount; reading the path as given');
      }
      return undefined;
    }
  };

  return {
    async mountOf(path, call) {
      const segment = path.split('/')[0] ?? path;
      for (;;) {
        const mount = longestMount(known, path);
        if (mount !== undefined) return mount;
        const pending = inFlight.get(segment);
        if (pending === undefined) break;
        await pending.catch(() => undefined);
      }
      const lookup = lookUp(path, call);
      inFlight.set(segment, lookup);
      try {
        return await lookup;
      } finally {
        if (inFlight.get(segment) === lookup) inFlight.delete(segment);
      }
    },
  };
}

function longestMount(known: readonly KvMount[], path: string): KvMount | undefined {
  let best: KvMount | undefined;
  for (const mount of known) {
    if (isOnMount(path, mount.mountPath) && (best === undefined || mount.mountPath.length > best.mountPath.length)) best = mount;
  }
  return best;
}

function mountFromAnswer(data: Record<string, unknown> | null): KvMount | undefined {
  if (data === null || typeof data.path !== 'string' || data.path === '') return undefined;
  const mountPath = data.path.endsWith('/') ? data.path : `${data.path}/`;
  const options = data.options;
  const version = options !== null && typeof options === 'object' ? (options as Record<string, unknown>).version : undefined;
  return { mountPath, kvVersion2: version === '2' };
}
