import * as z from 'zod';
import { nonEmptyString, positiveDurationMs, vaultApiPath } from './primitives.js';
import type { RefinementContext } from './refine-helpers.js';
import { notAbove, whenParsed } from './refine-helpers.js';

/** Vault auth methods the agent logs in with (Vault Agent's `auto_auth.method.type`). */
export const AuthMethod = {
  kubernetes: 'kubernetes',
  jwt: 'jwt',
  appRole: 'approle',
  tokenFile: 'token_file',
  cert: 'cert',
} as const;
export type AuthMethod = (typeof AuthMethod)[keyof typeof AuthMethod];

/**
 * Parameter names for `extra`: what vault-k8s's `auth-config-<param>` gives after turning dashes
 * into underscores.
 */
const LOGIN_PARAM_NAME = /^[A-Za-z0-9_.-]+$/;

/**
 * Further login parameters (vault-k8s `auth-config-<param>` that have no typed field), sent as
 * strings in the login request body, as vault-k8s passes every value as a string.
 */
const loginParams = z.record(
  z.string().regex(LOGIN_PARAM_NAME, { error: 'expected a parameter name of A-Z a-z 0-9 _ . -' }),
  z.string({ error: 'expected a string value (login parameters are passed as strings)' }),
  { error: 'expected an object of login parameter names to string values' },
);

/** Fields every auth method has; `method` selects the variant. */
export function authCommonShape<M extends AuthMethod>(method: M) {
  return {
    method: z.literal(method),
    /**
     * Where the method is mounted; leading and trailing slashes are stripped.
     * @default `auth/<method>`, e.g. `auth/kubernetes`
     */
    mountPath: vaultApiPath.default(`auth/${method}`),
    /** Namespace to log in to; when unset, login uses `vault.namespace`. */
    namespace: nonEmptyString.optional(),
    /**
     * First wait after a failed login; doubles per failure up to `maxBackoffMs`, with up to 25 %
     * downward jitter, reset after a successful login (Vault Agent's `min_backoff`).
     * @default 1000
     */
    minBackoffMs: positiveDurationMs.default(1_000),
    /**
     * Longest wait between login attempts (Vault Agent's `max_backoff`).
     * @default 300000
     */
    maxBackoffMs: positiveDurationMs.default(300_000),
    /**
     * Exit on the first failed login instead of retrying (vault-k8s `agent-auto-auth-exit-on-err`).
     * Renewal errors of a still-valid token never make the agent exit.
     * @default false
     */
    exitOnError: z.boolean().default(false),
    /**
     * Other login parameters, passed through to the login request body.
     * @default {}
     */
    extra: loginParams.default(() => ({})),
  };
}

/**
 * Login-body fields the agent fills itself, or that have a typed field, per method. An `extra`
 * entry with one of these names would silently override a credential or hide a typed setting,
 * so it is an error that names the field to use instead. `token_file` does not log in at all.
 */
export const RESERVED_EXTRA_PARAMS: Readonly<Record<AuthMethod, Readonly<Record<string, string>> | 'no-login'>> = {
  kubernetes: { role: 'role', jwt: 'the token read from tokenPath', token_path: 'tokenPath' },
  jwt: {
    role: 'role',
    jwt: 'the JWT read from path',
    path: 'path',
    remove_jwt_after_reading: 'removeJwtAfterReading',
    remove_jwt_follows_symlinks: 'removeJwtFollowsSymlinks',
    jwt_read_period: 'jwtReadPeriodMs',
  },
  approle: {
    role_id: 'the role ID read from roleIdFilePath',
    secret_id: 'the secret ID read from secretIdFilePath',
    role_id_file_path: 'roleIdFilePath',
    secret_id_file_path: 'secretIdFilePath',
    remove_secret_id_file_after_reading: 'removeSecretIdFileAfterReading',
    secret_id_response_wrapping_path: 'secretIdResponseWrappingPath',
  },
  token_file: 'no-login',
  cert: { name: 'name', ca_cert: 'caCertPath', client_cert: 'clientCertPath', client_key: 'clientKeyPath', reload: 'reload' },
};

interface CommonAuthFields {
  method: AuthMethod;
  minBackoffMs: number;
  maxBackoffMs: number;
  extra: Record<string, string>;
}

function checkExtraParams(auth: CommonAuthFields, ctx: RefinementContext): void {
  const reserved = RESERVED_EXTRA_PARAMS[auth.method];
  for (const name of Object.keys(auth.extra)) {
    if (reserved === 'no-login') {
      ctx.addIssue({
        code: 'custom',
        path: ['extra', name],
        message: 'token_file does not log in, so there is no login request to pass extra parameters to',
      });
    } else if (Object.hasOwn(reserved, name)) {
      ctx.addIssue({ code: 'custom', path: ['extra', name], message: `reserved login parameter: set by ${reserved[name]}` });
    }
  }
}

/**
 * Adds the rules shared by every method. Each runs as soon as the fields it reads parsed, so a
 * wrong field elsewhere does not hide these errors.
 */
export function withCommonAuthRules<T extends z.ZodType<CommonAuthFields>>(schema: T): T {
  return schema
    .superRefine(...notAbove('minBackoffMs', 'maxBackoffMs'))
    .superRefine(checkExtraParams, { when: whenParsed('method', 'extra') });
}
