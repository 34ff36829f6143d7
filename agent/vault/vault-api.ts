/**
 * The agent's view of Vault: one small interface, implemented over HTTP by one adapter file.
 * Everything above it (auth, secret fetching, leases) is written against this interface, so it
 * never sees HTTP details, and errors reach it as safe, typed values.
 */

/** Vault's response envelope, with consul-template's field names for what templates see. */
export interface VaultSecret {
  requestId: string;
  leaseId: string;
  /** Seconds. */
  leaseDuration: number;
  renewable: boolean;
  data: Record<string, unknown> | null;
  warnings: string[] | null;
  auth: VaultAuth | null;
  wrapInfo: Record<string, unknown> | null;
}

export interface VaultAuth {
  clientToken: string;
  accessor: string;
  policies: string[];
  tokenPolicies: string[];
  metadata: Record<string, string> | null;
  /** Seconds. */
  leaseDuration: number;
  renewable: boolean;
}

export type VaultMethod = 'GET' | 'PUT' | 'POST' | 'LIST' | 'DELETE';

export interface VaultRequest {
  method: VaultMethod;
  /** API path without `/v1/`, e.g. `secret/data/app` or `auth/kubernetes/login`. */
  path: string;
  body?: Record<string, unknown>;
  /** The token to send; login requests send none. */
  token?: string;
  /** Vault Enterprise / OpenBao namespace for this request. */
  namespace?: string;
  signal?: AbortSignal;
}

export interface VaultClient {
  /** `undefined` for an empty (204) answer. Rejects only with {@link VaultError}. */
  request(request: VaultRequest): Promise<VaultSecret | undefined>;
  /** Releases connections. */
  close(): Promise<void>;
}

/** Stable codes to branch on; never branch on message text. */
export const VaultErrorCode = {
  /** Vault answered with an HTTP error status (see `status` and `errors`). */
  http: 'VAULT_HTTP',
  /** Connection refused, reset, DNS failure, proxy failure. */
  network: 'VAULT_NETWORK',
  timeout: 'VAULT_TIMEOUT',
  /** Certificate verification or TLS handshake failure. */
  tls: 'VAULT_TLS',
  /** Vault answered something that is not a Vault response. */
  badResponse: 'VAULT_BAD_RESPONSE',
  aborted: 'VAULT_ABORTED',
} as const;
export type VaultErrorCode = (typeof VaultErrorCode)[keyof typeof VaultErrorCode];

/**
 * A failed Vault call, safe to log: method, path (no query string), status and Vault's own
 * error strings. Never the token, the request body (logins carry JWTs and secret IDs) or the
 * response data.
 */
export class VaultError extends Error {
  override readonly name = 'VaultError';
  constructor(
    readonly code: VaultErrorCode,
    readonly method: VaultMethod,
    readonly path: string,
    message: string,
    readonly status?: number,
    /** Vault's `errors[]`, which name problems ("permission denied") but carry no secrets. */
    readonly errors: readonly string[] = [],
  ) {
    super(message);
  }

  /** 403 with "invalid token" / "permission denied" from a revoked or expired token. */
  get isPermissionDenied(): boolean {
    return this.code === VaultErrorCode.http && this.status === 403;
  }

  /** Worth retrying later: network trouble, timeouts, 5xx, 429, 412 (eventual consistency). */
  get isTransient(): boolean {
    if (this.code === VaultErrorCode.http) return this.status === undefined || this.status >= 500 || this.status === 429 || this.status === 412;
    return this.code !== VaultErrorCode.badResponse && this.code !== VaultErrorCode.aborted;
  }
}
