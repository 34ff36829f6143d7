/**
 * Catalog: how the agent reaches Vault and logs in.
 */
import { plainOptional, plainWithDefault, Support } from './entry.js';
import {
  absolutePath,
  duration,
  goBool,
  httpUrl,
  integer,
  mountPath,
  objectName,
  oneOf,
  secondsOrDuration,
  text,
} from './value-types.js';

/** Auth methods the agent implements. */
export const AUTH_METHODS = ['kubernetes', 'jwt', 'approle', 'token_file', 'cert'] as const;
export type AuthMethodName = (typeof AUTH_METHODS)[number];

export const vaultAnnotations = {
  service: plainOptional({
    key: 'service',
    description: 'Address of the Vault or OpenBao server the agent talks to.',
    type: httpUrl,
    injector: { env: 'AGENT_INJECT_VAULT_ADDR', flag: 'vault-address' },
    defaultText: 'the injector\'s Vault address (required)',
  }),
  role: plainOptional({
    key: 'role',
    description: 'Vault role to log in with; required for kubernetes auth unless auth-config-role is set.',
    type: text,
  }),
  authType: plainWithDefault({
    key: 'auth-type',
    description: `Auto-auth method: ${AUTH_METHODS.join(', ')}.`,
    type: oneOf(AUTH_METHODS),
    default: 'kubernetes',
    injector: { env: 'AGENT_INJECT_VAULT_AUTH_TYPE', flag: 'vault-auth-type' },
  }),
  authPath: plainWithDefault({
    key: 'auth-path',
    description: 'Mount path of the auth method in Vault (e.g. auth/kubernetes or auth/cluster-a).',
    type: mountPath,
    default: 'auth/kubernetes',
    injector: { env: 'AGENT_INJECT_VAULT_AUTH_PATH', flag: 'vault-auth-path' },
  }),
  authMinBackoff: plainOptional({
    key: 'auth-min-backoff',
    description: 'First wait after a failed login; doubles on each failure up to auth-max-backoff.',
    type: duration,
    injector: { env: 'AGENT_INJECT_AUTH_MIN_BACKOFF', flag: 'auth-min-backoff' },
    defaultText: '1s (agent default)',
  }),
  authMaxBackoff: plainOptional({
    key: 'auth-max-backoff',
    description: 'Longest wait between failed logins.',
    type: duration,
    injector: { env: 'AGENT_INJECT_AUTH_MAX_BACKOFF', flag: 'auth-max-backoff' },
    defaultText: '5m (agent default)',
  }),
  autoAuthExitOnErr: plainWithDefault({
    key: 'agent-auto-auth-exit-on-err',
    description: 'Exit the agent on a failed login instead of retrying with backoff.',
    type: goBool,
    default: 'false',
  }),
  namespace: plainOptional({
    key: 'namespace',
    description: 'Vault Enterprise / OpenBao namespace used for login.',
    type: text,
    injector: { env: 'AGENT_INJECT_VAULT_NAMESPACE', flag: 'vault-namespace' },
  }),
  proxyAddress: plainOptional({
    key: 'proxy-address',
    description: 'HTTP(S) proxy the agent uses to reach Vault (sets HTTPS_PROXY).',
    type: text,
    injector: { env: 'AGENT_INJECT_PROXY_ADDR', flag: 'proxy-address' },
  }),
  tlsSkipVerify: plainWithDefault({
    key: 'tls-skip-verify',
    description: 'Do not verify Vault\'s TLS certificate (insecure; for testing only).',
    type: goBool,
    default: 'false',
  }),
  tlsSecret: plainOptional({
    key: 'tls-secret',
    description: 'A Kubernetes Secret with TLS files, mounted read-only at /vault/tls in the agents.',
    type: objectName,
  }),
  tlsServerName: plainOptional({
    key: 'tls-server-name',
    description: 'Server name (SNI) expected on Vault\'s certificate.',
    type: text,
  }),
  caCert: plainOptional({
    key: 'ca-cert',
    description: 'Path, inside the agent container, of a PEM CA certificate to verify Vault with.',
    type: absolutePath,
  }),
  caKey: plainOptional({
    key: 'ca-key',
    description:
      'Path, inside the agent container, of a directory of CA certificates (vault-k8s maps it to ca_path despite the name).',
    type: absolutePath,
  }),
  clientCert: plainOptional({
    key: 'client-cert',
    description: 'Path of the client certificate the agent presents to Vault (also used by cert auth).',
    type: absolutePath,
  }),
  clientKey: plainOptional({
    key: 'client-key',
    description: 'Path of the private key for client-cert.',
    type: absolutePath,
  }),
  clientMaxRetries: plainOptional({
    key: 'client-max-retries',
    description: 'How many times a failed Vault request is retried.',
    type: integer(0, 1000, 'a retry count'),
    defaultText: '2 (agent default)',
  }),
  clientTimeout: plainOptional({
    key: 'client-timeout',
    description: 'Timeout of each Vault request (a duration such as 30s, or whole seconds).',
    type: secondsOrDuration,
    defaultText: '60s (agent default)',
  }),
  goMaxProcs: plainOptional({
    key: 'go-max-procs',
    description: 'GOMAXPROCS of the Go-based Vault Agent.',
    type: text,
    support: Support.ignored,
    note: 'This agent is not a Go program; CPU is bounded by the container\'s limits.',
  }),
  logLevel: plainWithDefault({
    key: 'log-level',
    description: 'Agent log level: trace, debug, info, warn or error.',
    type: oneOf(['trace', 'debug', 'info', 'warn', 'warning', 'error', 'err'], true),
    default: 'info',
  }),
  logFormat: plainWithDefault({
    key: 'log-format',
    description: 'Agent log format: standard (human-readable) or json.',
    type: oneOf(['standard', 'json'], true),
    default: 'standard',
  }),
};
