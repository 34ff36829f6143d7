/**
 * The webhook's configuration: vault-k8s's `AGENT_INJECT_*` environment variables and the
 * matching flags, declared once with defaults and units. As in vault-k8s, a non-empty
 * environment variable overrides its flag.
 *
 * Two kinds of settings live here: the server's own (listen address, TLS, logging, metrics) and
 * injector-wide defaults for annotations, which come from the annotation catalog.
 */
import {
  catalogEntries,
  DEFAULT_ANNOTATION_PREFIX,
  parseAnnotations,
  type InjectorDefaults,
} from '../contract/annotations/index.js';

export interface ServerSetting {
  flag: string;
  env: string;
  description: string;
  default: string;
}

/** Settings of the webhook server itself. */
export const SERVER_SETTINGS = {
  listen: { flag: 'listen', env: 'AGENT_INJECT_LISTEN', default: ':8080', description: 'Address to listen on, [host]:port.' },
  logLevel: { flag: 'log-level', env: 'AGENT_INJECT_LOG_LEVEL', default: 'info', description: 'Log level: trace, debug, info, warn or error.' },
  logFormat: { flag: 'log-format', env: 'AGENT_INJECT_LOG_FORMAT', default: 'standard', description: 'Log format: standard or json (both are JSON lines; standard is kept for vault-k8s compatibility).' },
  tlsCertFile: { flag: 'tls-cert-file', env: 'AGENT_INJECT_TLS_CERT_FILE', default: '', description: 'PEM certificate (chain) to serve; reloaded when the file changes.' },
  tlsKeyFile: { flag: 'tls-key-file', env: 'AGENT_INJECT_TLS_KEY_FILE', default: '', description: 'PEM private key of the certificate; reloaded when the file changes.' },
  tlsMinVersion: { flag: 'tls-min-version', env: 'AGENT_INJECT_TLS_MIN_VERSION', default: 'tls12', description: 'Lowest TLS version accepted: tls12 or tls13.' },
  tlsCipherSuites: { flag: 'tls-cipher-suites', env: 'AGENT_INJECT_TLS_CIPHER_SUITES', default: '', description: 'Comma list of OpenSSL cipher names for TLS 1.2 (empty: Node defaults).' },
  telemetryPath: { flag: 'telemetry-path', env: 'AGENT_INJECT_TELEMETRY_PATH', default: '/metrics', description: 'Path of the Prometheus metrics endpoint; empty turns metrics off.' },
  vaultCaCertBytes: { flag: 'vault-cacert-bytes', env: 'AGENT_INJECT_VAULT_CACERT_BYTES', default: '', description: 'PEM CA certificate (or its base64) that agents use to verify Vault.' },
  annotationPrefix: { flag: 'annotation-prefix', env: 'AGENT_INJECT_ANNOTATION_PREFIX', default: DEFAULT_ANNOTATION_PREFIX, description: 'Prefix of the annotations read (extension).' },
} as const satisfies Record<string, ServerSetting>;

type ServerKey = keyof typeof SERVER_SETTINGS;

/** Injector-wide annotation defaults, one per catalog entry that declares an injector setting. */
export const DEFAULT_SETTINGS: readonly (ServerSetting & { annotation: string })[] = catalogEntries
  .filter((entry) => entry.injector !== undefined)
  .map((entry) => ({
    flag: entry.injector!.flag,
    env: entry.injector!.env,
    annotation: entry.key,
    default: entry.default ?? '',
    description: `Default for the ${entry.key} annotation: ${entry.description}`,
  }));

export type TlsMinVersion = 'TLSv1.2' | 'TLSv1.3';

export interface InjectorConfig {
  host: string;
  port: number;
  logLevel: 'trace' | 'debug' | 'info' | 'warn' | 'error';
  logFormat: 'standard' | 'json';
  tlsCertFile: string;
  tlsKeyFile: string;
  tlsMinVersion: TlsMinVersion;
  tlsCipherSuites: string | undefined;
  /** `undefined` when metrics are off. */
  telemetryPath: string | undefined;
  /** PEM, decoded from base64 when it was given that way. */
  vaultCaCertPem: string | undefined;
  annotationPrefix: string;
  /** Raw annotation defaults, keyed by annotation key; the parser validates them. */
  injectorDefaults: InjectorDefaults;
}

export type ConfigOutcome = { ok: true; config: InjectorConfig } | { ok: false; errors: string[] };

/** Flag values as given on the command line (flag name → value); env values as process.env. */
export function resolveInjectorConfig(
  flags: Readonly<Record<string, string | undefined>>,
  env: Readonly<Record<string, string | undefined>>,
): ConfigOutcome {
  const errors: string[] = [];
  const pick = (s: ServerSetting): string => (env[s.env] ? env[s.env]! : (flags[s.flag] ?? s.default));
  const server = Object.fromEntries(
    Object.entries(SERVER_SETTINGS).map(([key, s]) => [key, pick(s)]),
  ) as Record<ServerKey, string>;

  const listen = parseListen(server.listen);
  if (!listen) errors.push(`--listen / AGENT_INJECT_LISTEN: expected [host]:port with a port from 1 to 65535`);
  const logLevel = normalizeLogLevel(server.logLevel);
  if (!logLevel) errors.push('--log-level / AGENT_INJECT_LOG_LEVEL: expected trace, debug, info, warn or error');
  if (server.logFormat !== 'standard' && server.logFormat !== 'json') {
    errors.push('--log-format / AGENT_INJECT_LOG_FORMAT: expected standard or json');
  }
  if (!server.tlsCertFile || !server.tlsKeyFile) {
    errors.push('--tls-cert-file and --tls-key-file (AGENT_INJECT_TLS_CERT_FILE, AGENT_INJECT_TLS_KEY_FILE) are required: the webhook serves HTTPS only');
  }
  const tlsMinVersion = ({ tls12: 'TLSv1.2', tls13: 'TLSv1.3' } as const)[server.tlsMinVersion as 'tls12' | 'tls13'];
  if (!tlsMinVersion) errors.push('--tls-min-version / AGENT_INJECT_TLS_MIN_VERSION: expected tls12 or tls13');
  if (!server.annotationPrefix.endsWith('/')) {
    errors.push('--annotation-prefix / AGENT_INJECT_ANNOTATION_PREFIX: expected a prefix ending in "/"');
  }

  const injectorDefaults: Record<string, string | undefined> = {};
  for (const setting of DEFAULT_SETTINGS) {
    const value = env[setting.env] ? env[setting.env] : flags[setting.flag];
    if (value !== undefined) injectorDefaults[setting.annotation] = value;
  }

  if (!injectorDefaults['service']) {
    errors.push('--vault-address / AGENT_INJECT_VAULT_ADDR is required: the address agents use to reach Vault');
  }
  errors.push(...checkInjectorDefaults(injectorDefaults, server.annotationPrefix));

  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    config: {
      host: listen!.host,
      port: listen!.port,
      logLevel: logLevel!,
      logFormat: server.logFormat as 'standard' | 'json',
      tlsCertFile: server.tlsCertFile,
      tlsKeyFile: server.tlsKeyFile,
      tlsMinVersion: tlsMinVersion!,
      tlsCipherSuites: server.tlsCipherSuites || undefined,
      telemetryPath: server.telemetryPath || undefined,
      vaultCaCertPem: decodeCaBytes(server.vaultCaCertBytes),
      annotationPrefix: server.annotationPrefix,
      injectorDefaults,
    },
  };
}

/** `:8080`, `0.0.0.0:8443`, `[::1]:8443`. An empty host listens on all interfaces. */
function parseListen(value: string): { host: string; port: number } | undefined {
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(value.trim());
  if (!match) return undefined;
  const port = Number(match[3]);
  if (port < 1 || port > 65535) return undefined;
  return { host: match[1] ?? (match[2] || '0.0.0.0'), port };
}

function normalizeLogLevel(value: string): InjectorConfig['logLevel'] | undefined {
  const level = value.toLowerCase();
  if (level === '' || level === 'notice') return 'info';
  if (level === 'warning') return 'warn';
  if (level === 'err') return 'error';
  return (['trace', 'debug', 'info', 'warn', 'error'] as const).find((l) => l === level);
}

/** vault-k8s accepts the CA as PEM or as base64 of the PEM. */
export function decodeCaBytes(value: string): string | undefined {
  if (!value) return undefined;
  if (value.includes('-----BEGIN')) return value;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  return decoded.includes('-----BEGIN') ? decoded : value;
}

/** Parses the defaults alone, as they would apply to a pod without annotations. */
function checkInjectorDefaults(defaults: InjectorDefaults, prefix: string): string[] {
  const outcome = parseAnnotations({}, { prefix, injectorDefaults: defaults });
  if (outcome.ok) return [];
  return outcome.errors.map((problem) => {
    const key = problem.key.slice(prefix.length);
    const setting = DEFAULT_SETTINGS.find((s) => s.annotation === key);
    return setting ? `--${setting.flag} / ${setting.env}: ${problem.message}` : `${problem.key}: ${problem.message}`;
  });
}
