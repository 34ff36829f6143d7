/**
 * The `auth` part of an AgentConfig, from `auth-type`, `auth-path`, `role`, the backoff and
 * `auth-config-*` annotations. Parameters with a typed field become that field; the rest are
 * passed to the login request as they are, as Vault Agent does with method config.
 */
import { RESERVED_EXTRA_PARAMS, type AuthConfigInput } from '../../contract/agent-config/index.js';
import type { InjectionSpec } from '../../contract/annotations/index.js';

export interface AuthProblem {
  key: string;
  message: string;
}

type Typed = Record<string, string | boolean | undefined>;

/** Auth-config parameters each method reads into typed fields: param → [field, type]. */
const TYPED_PARAMS: Record<string, Record<string, [string, 'string' | 'bool']>> = {
  kubernetes: { token_path: ['tokenPath', 'string'] },
  jwt: {
    path: ['path', 'string'],
    remove_jwt_after_reading: ['removeJwtAfterReading', 'bool'],
    remove_jwt_follows_symlinks: ['removeJwtFollowsSymlinks', 'bool'],
  },
  approle: {
    role_id_file_path: ['roleIdFilePath', 'string'],
    secret_id_file_path: ['secretIdFilePath', 'string'],
    remove_secret_id_file_after_reading: ['removeSecretIdFileAfterReading', 'bool'],
    secret_id_response_wrapping_path: ['secretIdResponseWrappingPath', 'string'],
  },
  token_file: { token_file_path: ['tokenFilePath', 'string'] },
  cert: {
    name: ['name', 'string'],
    ca_cert: ['caCertPath', 'string'],
    client_cert: ['clientCertPath', 'string'],
    client_key: ['clientKeyPath', 'string'],
    reload: ['reload', 'bool'],
  },
};

/** Parameters a method cannot do without, and the annotation that supplies them. */
const REQUIRED: Record<string, string[]> = {
  jwt: ['path'],
  approle: ['role_id_file_path'],
  token_file: ['token_file_path'],
};

const GO_BOOL: Record<string, boolean> = { '1': true, t: true, T: true, TRUE: true, true: true, True: true, '0': false, f: false, F: false, FALSE: false, false: false, False: false };

export function buildAuth(
  spec: InjectionSpec,
  serviceAccountTokenPath: string | undefined,
): { auth: AuthConfigInput | undefined; problems: AuthProblem[] } {
  const method = spec.authType;
  const problems: AuthProblem[] = [];
  const typed: Typed = {};
  const extra: Record<string, string> = {};
  const reserved = RESERVED_EXTRA_PARAMS[method];
  for (const [param, value] of Object.entries(spec.authConfig)) {
    const field = TYPED_PARAMS[method]?.[param];
    if (field) {
      const [name, type] = field;
      if (type === 'bool' && GO_BOOL[value] === undefined) {
        problems.push({ key: `auth-config-${param.replaceAll('_', '-')}`, message: 'expected a boolean' });
      }
      typed[name] = type === 'bool' ? GO_BOOL[value] : value;
    } else if (param === 'role') {
      // `role` wins over auth-config-role (vault-k8s); handled below.
    } else if (reserved === 'no-login' || (reserved && param in reserved)) {
      problems.push({ key: `auth-config-${param.replaceAll('_', '-')}`, message: `is not a login parameter of ${method} auth` });
    } else {
      extra[param] = value;
    }
  }
  for (const param of REQUIRED[method] ?? []) {
    if (spec.authConfig[param] === undefined) {
      problems.push({ key: `auth-config-${param.replaceAll('_', '-')}`, message: `is required for ${method} auth` });
    }
  }

  const role = spec.role?.trim() || spec.authConfig['role']?.trim();
  if (method === 'jwt' && !role) problems.push({ key: 'role', message: 'is required for jwt auth (or set auth-config-role)' });
  const common = {
    mountPath: spec.authPath,
    namespace: spec.namespace || undefined,
    minBackoffMs: spec.authMinBackoff,
    maxBackoffMs: spec.authMaxBackoff,
    exitOnError: spec.autoAuthExitOnErr,
    ...(method === 'token_file' ? {} : { extra }),
  };
  if (method === 'kubernetes') {
    return { auth: { method, ...common, role: role ?? '', tokenPath: (typed['tokenPath'] as string | undefined) ?? serviceAccountTokenPath }, problems };
  }
  if (method === 'jwt') return { auth: { method, ...common, role: role ?? '', ...(typed as { path: string }) }, problems };
  if (method === 'cert') return { auth: { method, ...common, ...(role ? { name: role } : {}), ...typed }, problems };
  return { auth: { method, ...common, ...typed } as AuthConfigInput, problems };
}
