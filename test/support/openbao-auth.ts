// Auth methods on an OpenBao/Vault server, mounted at caller-chosen paths: AppRole, and JWT with a
// locally generated key (also usable at `auth/kubernetes`, where it stands in for Kubernetes auth:
// both take `{ role, jwt }` at `auth/<path>/login`).
import { createJwtSigner, JwtAlgorithm } from './jwt.js';
import { toVaultClient, type VaultTarget } from './vault-client.js';

/** `sys/auth/<path>` with the given method type. */
export async function enableAuthMethod(target: VaultTarget, path: string, type: string): Promise<void> {
  await toVaultClient(target).write(`sys/auth/${path}`, { type });
}

export interface AppRoleCredentials {
  /** Mount path, without `auth/`; pass as node-vault's `mount_point`. */
  path: string;
  role: string;
  roleId: string;
  secretId: string;
}

export interface AppRoleOptions {
  /** @default '1h' */
  tokenTtl?: string;
}

/** Enables AppRole at `auth/<path>`, creates `role` with `policies`, and returns a role ID and secret ID. */
export async function enableAppRole(
  target: VaultTarget,
  path: string,
  role: string,
  policies: string[],
  options: AppRoleOptions = {},
): Promise<AppRoleCredentials> {
  const client = toVaultClient(target);
  await enableAuthMethod(client, path, 'approle');
  await client.write(`auth/${path}/role/${role}`, { token_policies: policies, token_ttl: options.tokenTtl ?? '1h' });
  const roleId = (await client.read(`auth/${path}/role/${role}/role-id`)) as { data: { role_id: string } };
  const secretId = (await client.write(`auth/${path}/role/${role}/secret-id`, {})) as { data: { secret_id: string } };
  return { path, role, roleId: roleId.data.role_id, secretId: secretId.data.secret_id };
}

export interface JwtAuthOptions {
  /** Required `aud` claim; @default 'vault-injector-test' */
  audience?: string;
  /** Required `iss` claim; @default 'vault-injector-test-issuer' */
  issuer?: string;
  /** @default 'ES256' */
  algorithm?: JwtAlgorithm;
  /** Required `sub`, e.g. `system:serviceaccount:ns:sa`; @default any */
  boundSubject?: string;
  /** Other required claims, as the role's `bound_claims`. */
  boundClaims?: Record<string, string | string[]>;
  /** @default '1h' */
  tokenTtl?: string;
}

export interface JwtAuth {
  /** Mount path, without `auth/`; pass as node-vault's `mount_point`. */
  path: string;
  role: string;
  audience: string;
  issuer: string;
  publicKeyPem: string;
  /**
   * Signs a token accepted by the role: `iss`, `aud`, `sub` ('test-subject' unless given), `iat`,
   * `nbf` and `exp` (now + `ttlSeconds`) are filled in; `claims` override them.
   * @param ttlSeconds @default 300
   */
  signJwt(claims?: Record<string, unknown>, ttlSeconds?: number): string;
}

/**
 * Enables JWT auth at `auth/<path>` (e.g. 'jwt' or 'kubernetes'), trusting a fresh local key pair,
 * and creates a `role_type: jwt` role bound to the audience, with `user_claim: sub`.
 */
export async function enableJwtAuth(
  target: VaultTarget,
  path: string,
  role: string,
  policies: string[],
  options: JwtAuthOptions = {},
): Promise<JwtAuth> {
  const {
    audience = 'vault-injector-test',
    issuer = 'vault-injector-test-issuer',
    algorithm = JwtAlgorithm.ES256,
    boundSubject,
    boundClaims,
    tokenTtl = '1h',
  } = options;
  const client = toVaultClient(target);
  const signer = createJwtSigner(algorithm);
  await enableAuthMethod(client, path, 'jwt');
  await client.write(`auth/${path}/config`, {
    jwt_validation_pubkeys: [signer.publicKeyPem],
    jwt_supported_algs: [algorithm],
    bound_issuer: issuer,
  });
  await client.write(`auth/${path}/role/${role}`, {
    role_type: 'jwt',
    bound_audiences: [audience],
    user_claim: 'sub',
    ...(boundSubject === undefined ? {} : { bound_subject: boundSubject }),
    ...(boundClaims === undefined ? {} : { bound_claims: boundClaims }),
    token_policies: policies,
    token_ttl: tokenTtl,
  });
  return {
    path,
    role,
    audience,
    issuer,
    publicKeyPem: signer.publicKeyPem,
    signJwt(claims = {}, ttlSeconds = 300) {
      const now = Math.floor(Date.now() / 1000);
      return signer.sign({ iss: issuer, aud: audience, sub: 'test-subject', iat: now, nbf: now, exp: now + ttlSeconds, ...claims });
    },
  };
}
