/**
 * Failures → {@link VaultError}. Pure. What goes in: the method, the path without its query,
 * the HTTP status, Vault's `errors[]` and the low-level error's code and message. What never
 * does: the token, the request body (logins carry JWTs and secret IDs), the response body
 * (beyond Vault's `errors[]`), the raw error object or its `cause`.
 */
import { TransportFailure } from './http-transport.js';
import { TlsConfigError } from './tls-options.js';
import { VaultError, VaultErrorCode, type VaultMethod } from './vault-api.js';
import { NotAVaultResponse } from './vault-response.js';

/** Codes of Node's and OpenSSL's TLS verification and handshake failures. */
const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|HOSTNAME_MISMATCH$|EPROTO$|UND_ERR_CONNECT_TLS)/;

const MAX_ERRORS_IN_MESSAGE_CHARS = 300;

export function httpStatusError(method: VaultMethod, path: string, status: number, errors: readonly string[]): VaultError {
  const listed = errors.join('; ');
  const detail = listed === '' ? '' : `: ${listed.length > MAX_ERRORS_IN_MESSAGE_CHARS ? `${listed.slice(0, MAX_ERRORS_IN_MESSAGE_CHARS)}…` : listed}`;
  return new VaultError(VaultErrorCode.http, method, path, `${method} ${path}: Vault answered HTTP ${status}${detail}`, status, errors);
}

export interface FailureContext {
  method: VaultMethod;
  path: string;
  /** The caller's signal was aborted (not our timeout). */
  callerAborted: boolean;
  /** Our per-request timeout fired. */
  timedOut: boolean;
  timeoutMs: number;
}

/** Maps whatever a transport or the body parser threw. */
export function failureToVaultError(error: unknown, context: FailureContext): VaultError {
  const { method, path } = context;
  if (error instanceof VaultError) return error;
  if (context.callerAborted) return new VaultError(VaultErrorCode.aborted, method, path, `${method} ${path}: aborted`);
  if (context.timedOut) {
    return new VaultError(VaultErrorCode.timeout, method, path, `${method} ${path}: no answer within ${context.timeoutMs} ms`);
  }
  if (error instanceof NotAVaultResponse) return new VaultError(VaultErrorCode.badResponse, method, path, `${method} ${path}: ${error.message}`);
  if (error instanceof TlsConfigError) return new VaultError(VaultErrorCode.tls, method, path, `${method} ${path}: ${error.message}`);
  if (error instanceof TransportFailure) {
    if (error.code === 'RESPONSE_TOO_LARGE') return new VaultError(VaultErrorCode.badResponse, method, path, `${method} ${path}: ${error.message}`);
    const code = error.code !== undefined && TLS_CODE.test(error.code) ? VaultErrorCode.tls : VaultErrorCode.network;
    const reason = error.code !== undefined && !error.message.includes(error.code) ? `${error.message} (${error.code})` : error.message;
    return new VaultError(code, method, path, `${method} ${path}: ${reason}`);
  }
  // A bug below us; its message could quote anything, so only its class.
  const kind = error instanceof Error ? error.name : typeof error;
  return new VaultError(VaultErrorCode.network, method, path, `${method} ${path}: request failed (${kind})`);
}

/**
 * Whether an idempotent read is worth another try within the same call: no answer, a timeout,
 * or a server-side failure (5xx except 501, 412 from a lagging standby, 429). TLS and config
 * failures repeat themselves, so they are not retried here.
 */
export function isRetryableRead(error: VaultError): boolean {
  if (error.code === VaultErrorCode.network || error.code === VaultErrorCode.timeout) return true;
  if (error.code !== VaultErrorCode.http || error.status === undefined) return false;
  return (error.status >= 500 && error.status !== 501) || error.status === 412 || error.status === 429;
}

/** A kept-alive connection the server had closed: the request never reached Vault. */
export function isStaleConnection(error: unknown): boolean {
  return error instanceof TransportFailure && error.reusedSocket && (error.code === 'ECONNRESET' || error.code === 'EPIPE');
}
