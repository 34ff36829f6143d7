import * as z from 'zod';
import { listenerPort } from './listener-address.js';
import { absolutePath } from './primitives.js';

export { listenerPort };


const loopbackAddress = z
  .string({ error: 'expected a loopback address such as 127.0.0.1:8200' })
  .refine((value) => listenerPort(value) !== undefined, {
    error: 'expected 127.0.0.1:<port>, localhost:<port> or [::1]:<port> with a port from 1 to 65535',
  });

/**
 * The agent's local HTTP API (Vault Agent's `listener` with `agent_api`): the API proxy and cache
 * when `cache` is set, and `/agent/v1/quit`. vault-k8s creates it for `agent-cache-enable` or
 * `agent-enable-quit`.
 */
export const listenerSchema = z.strictObject({
  /**
   * Where the listener binds (vault-k8s `agent-cache-listener-port`).
   * @default '127.0.0.1:8200'
   */
  address: loopbackAddress.default('127.0.0.1:8200'),
  /**
   * Serve `POST /agent/v1/quit`, so a Job's app can stop a classic sidecar when it is done
   * (vault-k8s `agent-enable-quit`). Native sidecars stop on their own.
   * @default false
   */
  enableQuit: z.boolean().default(false),
});

/** Whether the API proxy adds the agent's token to forwarded requests (vault-k8s passes the string through). */
export const UseAutoAuthToken = {
  /** Add the token when the request has none. */
  whenMissing: 'true',
  /** Never add it. */
  never: 'false',
  /** Always replace the request's token with the agent's. */
  force: 'force',
} as const;
export type UseAutoAuthToken = (typeof UseAutoAuthToken)[keyof typeof UseAutoAuthToken];

/**
 * Vault Agent's persistent cache (`cache.persist "kubernetes"`): the init container stores its
 * token and leased secrets, and the sidecar starts from them instead of issuing new dynamic
 * credentials (vault-k8s#125).
 */
export const cachePersistSchema = z.strictObject({
  /**
   * Directory of the cache, on a memory volume shared by both agents.
   * @default '/vault/agent-cache'
   */
  path: absolutePath.default('/vault/agent-cache'),
  /**
   * Exit when the persisted cache cannot be restored, instead of starting empty
   * (vault-k8s `agent-cache-exit-on-err`).
   * @default false
   */
  exitOnError: z.boolean().default(false),
});

/** The API proxy cache (vault-k8s `agent-cache-enable`). Needs `listener`. */
export const cacheSchema = z.strictObject({
  /**
   * vault-k8s `agent-cache-use-auto-auth-token`.
   * @default 'true'
   */
  useAutoAuthToken: z
    .enum(UseAutoAuthToken, { error: `expected one of: ${Object.values(UseAutoAuthToken).join(', ')}` })
    .default(UseAutoAuthToken.whenMissing),
  /** Persist to share the token and leases between init container and sidecar. */
  persist: cachePersistSchema.optional(),
});

export type ListenerConfig = z.output<typeof listenerSchema>;
export type CacheConfig = z.output<typeof cacheSchema>;
