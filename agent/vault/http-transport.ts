/**
 * One HTTP exchange with Vault, below the Vault semantics: method, path, headers and body in;
 * status and body text out. Two implementations: `socket-transport.ts` (the default) and
 * `proxy-transport.ts` (undici's ProxyAgent, loaded only when a proxy is configured).
 */

export type HttpVerb = 'GET' | 'PUT' | 'POST' | 'DELETE';

export interface TransportRequest {
  method: HttpVerb;
  /** Path and query, already encoded, e.g. `/v1/secret/data/app?version=2`. */
  path: string;
  headers: Record<string, string>;
  body?: string;
  signal: AbortSignal;
}

export interface TransportResponse {
  status: number;
  body: string;
}

export interface HttpTransport {
  send(request: TransportRequest): Promise<TransportResponse>;
  close(): Promise<void>;
}

/**
 * A request that got no answer. `reusedSocket`: it went out on a kept-alive connection that the
 * server may have closed just before, so the server cannot have processed it (safe to resend).
 */
export class TransportFailure extends Error {
  override readonly name = 'TransportFailure';
  constructor(
    /** Node's / undici's error code, e.g. `ECONNREFUSED`, `UND_ERR_SOCKET`, `CERT_HAS_EXPIRED`. */
    readonly code: string | undefined,
    message: string,
    readonly reusedSocket = false,
  ) {
    super(message);
  }
}

/** Largest response body accepted (a long LIST or a PKI bundle stays far below). */
export const MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

/** Kept-alive connections are closed after this long idle, well before Vault's 5 min idle timeout. */
export const IDLE_SOCKET_TIMEOUT_MS = 30_000;

/**
 * A safe copy of a low-level error: its code, and its message only when it has a code. Node's
 * system and TLS errors and undici's errors carry codes and name addresses and TLS reasons, never
 * request headers or bodies; an error without a code is of unknown make (axios-like errors quote
 * the whole request), so only its class is kept.
 */
export function toTransportFailure(error: unknown, reusedSocket = false): TransportFailure {
  if (error instanceof TransportFailure) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') {
    return new TransportFailure(undefined, `request failed (${error instanceof Error ? error.name : typeof error})`, reusedSocket);
  }
  return new TransportFailure(code, error instanceof Error ? error.message : 'request failed', reusedSocket);
}
