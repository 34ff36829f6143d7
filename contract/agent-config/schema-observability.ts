import * as z from 'zod';
import { absolutePath, httpPath, port } from './primitives.js';

/** TCP port of an agent endpoint; the webhook also declares it on the container. */
const endpointPort = port;

/**
 * Prometheus metrics on all pod interfaces: auth state, per-secret last render, lease expiry and
 * errors (Vault Agent has no template or lease metrics).
 */
export const metricsEndpointSchema = z.strictObject({
  port: endpointPort,
  /**
   * @default '/metrics'
   */
  path: httpPath.default('/metrics'),
});

/**
 * Health on all pod interfaces, so the kubelet reaches it: 200 only after auth and the first full
 * render, and while the agent holds a valid token. A native sidecar's startupProbe points here,
 * so the app starts only when every secret file exists.
 */
export const healthEndpointSchema = z.strictObject({
  port: endpointPort,
  /**
   * @default '/readyz'
   */
  path: httpPath.default('/readyz'),
});

/** Log levels, as Vault Agent's `-log-level` (vault-k8s `log-level`). */
export const LogLevel = { trace: 'trace', debug: 'debug', info: 'info', warn: 'warn', error: 'error' } as const;
export type LogLevel = (typeof LogLevel)[keyof typeof LogLevel];

/** Log formats, as Vault Agent's `-log-format` (vault-k8s `log-format`). */
export const LogFormat = {
  /** One human-readable line per event. */
  standard: 'standard',
  /** One JSON object per line. */
  json: 'json',
} as const;
export type LogFormat = (typeof LogFormat)[keyof typeof LogFormat];

export const logSchema = z.strictObject({
  /**
   * Least severe level that is written.
   * @default 'info'
   */
  level: z.enum(LogLevel, { error: `expected one of: ${Object.values(LogLevel).join(', ')}` }).default(LogLevel.info),
  /**
   * @default 'standard'
   */
  format: z.enum(LogFormat, { error: `expected one of: ${Object.values(LogFormat).join(', ')}` }).default(LogFormat.standard),
});

/**
 * Where the agent keeps its own files. The secrets root is deliberately not here: destinations
 * are absolute, and moving them elsewhere (the CLI's `render` preview) is a runtime option of
 * the agent, not part of what the webhook decides.
 */
export const agentPathsSchema = z.strictObject({
  /**
   * The agent's home on its own memory volume (vault-k8s `/home/vault`).
   * @default '/home/vault'
   */
  home: absolutePath.default('/home/vault'),
});

export type EndpointConfig = z.output<typeof metricsEndpointSchema>;
export type LogConfig = z.output<typeof logSchema>;
export type AgentPaths = z.output<typeof agentPathsSchema>;
