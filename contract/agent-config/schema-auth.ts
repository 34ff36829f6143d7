import * as z from 'zod';
import { AuthMethod, authCommonShape, withCommonAuthRules } from './schema-auth-common.js';
import { absolutePath, nonEmptyString, positiveDurationMs, vaultApiPath } from './primitives.js';
import { bothOrNeither } from './refine-helpers.js';

/** Where Kubernetes mounts the pod's service-account token by default. */
export const DEFAULT_SERVICE_ACCOUNT_TOKEN_PATH = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/**
 * `kubernetes`: `PUT <mountPath>/login {role, jwt}`. The token file is re-read on every login,
 * so a rotated projected token is picked up at the next login.
 */
export const kubernetesAuthSchema = withCommonAuthRules(
  z.strictObject({
    ...authCommonShape(AuthMethod.kubernetes),
    /** Vault role to log in as (vault-k8s `role`). */
    role: nonEmptyString,
    /**
     * Service-account token to log in with. vault-k8s points it at the projected token it mounts
     * when `agent-service-account-token-volume-name` is used.
     * @default '/var/run/secrets/kubernetes.io/serviceaccount/token'
     */
    tokenPath: absolutePath.default(DEFAULT_SERVICE_ACCOUNT_TOKEN_PATH),
  }),
);

/**
 * `jwt`: `PUT <mountPath>/login {role, jwt}` with the JWT read from `path`.
 *
 * `removeJwtAfterReading` defaults to false, not Vault Agent's true: in an injected pod the JWT is
 * normally a projected token or a Secret on a read-only mount shared by the init container and
 * the sidecar, where removing fails (an error every read) or, worse, succeeds in the init
 * container and leaves the sidecar nothing to log in with. Removal only suits a one-shot
 * credential dropped into a writable volume; the webhook sets it when the pod asks
 * (`auth-config-remove-jwt-after-reading`).
 */
export const jwtAuthSchema = withCommonAuthRules(
  z.strictObject({
    ...authCommonShape(AuthMethod.jwt),
    /** Vault role to log in as. */
    role: nonEmptyString,
    /** File holding the JWT; re-read every `jwtReadPeriodMs`. */
    path: absolutePath,
    /**
     * Delete the JWT file after reading it (see above for why this default differs from Vault Agent).
     * @default false
     */
    removeJwtAfterReading: z.boolean().default(false),
    /**
     * When removing, remove the symlink's target rather than the link.
     * @default false
     */
    removeJwtFollowsSymlinks: z.boolean().default(false),
    /**
     * How often the JWT file is re-read; resolve with {@link resolveJwtReadPeriodMs}.
     * @default 60000, or 500 when removeJwtAfterReading is true (Vault Agent's rule)
     */
    jwtReadPeriodMs: positiveDurationMs.optional(),
  }),
);

/**
 * `approle`: `PUT <mountPath>/login {role_id, secret_id}`.
 *
 * `removeSecretIdFileAfterReading` defaults to false, not Vault Agent's true: the secret-ID
 * file of an injected pod comes from a Kubernetes Secret mounted read-only (`agent-extra-secret`
 * at `/vault/custom`) and shared by the init container and the sidecar. Removing it fails there,
 * and where it succeeded the sidecar, or any restarted agent, could no longer log in
 * (vault#16148 "no known secret ID"). Vault Agent's default suits a one-shot secret ID delivered
 * by an orchestrator; the webhook sets true when the pod asks for it.
 */
export const appRoleAuthSchema = withCommonAuthRules(
  z.strictObject({
    ...authCommonShape(AuthMethod.appRole),
    /** File holding the role ID. */
    roleIdFilePath: absolutePath,
    /** File holding the secret ID; without it only the role ID is sent (role with `bind_secret_id=false`). */
    secretIdFilePath: absolutePath.optional(),
    /**
     * Delete the secret-ID file after reading it (see above for why this default differs).
     * @default false
     */
    removeSecretIdFileAfterReading: z.boolean().default(false),
    /**
     * When the secret ID is response-wrapped: the path that must have created the wrapping token
     * (checked with `sys/wrapping/lookup` before unwrapping), e.g. `auth/approle/role/app/secret-id`.
     */
    secretIdResponseWrappingPath: vaultApiPath.optional(),
  }),
);

/**
 * `token_file`: no login; the token in the file is used as is (`auth/token/lookup-self` gives
 * its TTL and renewability). A root token with TTL 0 is never renewed.
 */
export const tokenFileAuthSchema = withCommonAuthRules(
  z.strictObject({
    ...authCommonShape(AuthMethod.tokenFile),
    /** File holding the Vault token. */
    tokenFilePath: absolutePath,
  }),
);

/** `cert`: `PUT <mountPath>/login {name?}` over a TLS connection that presents the client certificate. */
export const certAuthSchema = withCommonAuthRules(
  z
    .strictObject({
      ...authCommonShape(AuthMethod.cert),
      /** Certificate role to log in as; when unset Vault tries every role that matches. */
      name: nonEmptyString.optional(),
      /** CA to verify Vault with on the login connection; `vault` TLS settings when unset. */
      caCertPath: absolutePath.optional(),
      /** Client certificate for login; needs `clientKeyPath`. When unset, `vault.clientCertPath` is used. */
      clientCertPath: absolutePath.optional(),
      /** Key of `clientCertPath`. */
      clientKeyPath: absolutePath.optional(),
      /**
       * Re-read the certificate files on every login, so a rotated certificate is used
       * (Vault Agent's `reload`; vault#18562).
       * @default false
       */
      reload: z.boolean().default(false),
    })
    .superRefine(...bothOrNeither('clientCertPath', 'clientKeyPath')),
);

const AUTH_METHODS = Object.values(AuthMethod);

/** How the agent authenticates to Vault; `method` selects the variant. */
export const authSchema = z.discriminatedUnion(
  'method',
  [kubernetesAuthSchema, jwtAuthSchema, appRoleAuthSchema, tokenFileAuthSchema, certAuthSchema],
  {
    error: (issue) =>
      issue.code === 'invalid_union' ? `expected one of: ${AUTH_METHODS.join(', ')}` : undefined,
  },
);

export type AuthConfig = z.output<typeof authSchema>;
export type AuthConfigInput = z.input<typeof authSchema>;
export type KubernetesAuth = z.output<typeof kubernetesAuthSchema>;
export type JwtAuth = z.output<typeof jwtAuthSchema>;
export type AppRoleAuth = z.output<typeof appRoleAuthSchema>;
export type TokenFileAuth = z.output<typeof tokenFileAuthSchema>;
export type CertAuth = z.output<typeof certAuthSchema>;

export { resolveJwtReadPeriodMs } from './jwt-read-period.js';
