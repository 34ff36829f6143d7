/**
 * What a login gives the auth manager, and the typed errors of logging in. Errors name the
 * method, the file or the setting — never a credential, and not its length.
 */
import type { VaultSecret } from '../vault/vault-api.js';

export interface AuthResult {
  token: string;
  accessor: string;
  /** Seconds; 0 means the token never expires (a root token from a token file). */
  leaseDurationSeconds: number;
  renewable: boolean;
  policies: string[];
}

/** Stable codes to branch on. */
export const AuthErrorCode = {
  /** A credential file (token, JWT, role ID, secret ID) could not be read and nothing is cached. */
  credentialUnreadable: 'AUTH_CREDENTIAL_UNREADABLE',
  /** A credential file is empty and nothing is cached. */
  credentialEmpty: 'AUTH_CREDENTIAL_EMPTY',
  /** Vault answered the login without a token. */
  noToken: 'AUTH_NO_TOKEN',
  /** A response-wrapped secret ID was not created where `secretIdResponseWrappingPath` says. */
  wrappingPathMismatch: 'AUTH_WRAPPING_PATH_MISMATCH',
  /** Unwrapping the response-wrapped secret ID gave no `secret_id`. */
  unwrapNoSecretId: 'AUTH_UNWRAP_NO_SECRET_ID',
  /** The auth manager was stopped. */
  stopped: 'AUTH_STOPPED',
} as const;
export type AuthErrorCode = (typeof AuthErrorCode)[keyof typeof AuthErrorCode];

export class AuthError extends Error {
  override readonly name = 'AuthError';
  constructor(
    readonly code: AuthErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** The token of a login response; `what` names the call for the error. */
export function authResultFromLogin(secret: VaultSecret | undefined, what: string): AuthResult {
  const auth = secret?.auth;
  if (auth === null || auth === undefined || auth.clientToken === '') {
    throw new AuthError(AuthErrorCode.noToken, `${what} answered without a client token`);
  }
  return {
    token: auth.clientToken,
    accessor: auth.accessor,
    leaseDurationSeconds: auth.leaseDuration,
    renewable: auth.renewable,
    policies: auth.policies,
  };
}
