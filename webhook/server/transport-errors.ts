/**
 * Every error the HTTP layer answers with, declared once with a stable code and HTTP status.
 * These are transport errors: the request could not be read as an AdmissionReview with a UID, so
 * there is nothing to echo and the answer is an HTTP 4xx with a JSON body `{ code, message }`.
 * Once a UID is known the answer is always HTTP 200 with an AdmissionReview (see
 * admission-response.ts). Callers branch on `code`, never on the message.
 */

export const TransportErrorCode = {
  unsupportedMediaType: 'WEBHOOK_UNSUPPORTED_MEDIA_TYPE',
  emptyBody: 'WEBHOOK_EMPTY_BODY',
  invalidJson: 'WEBHOOK_INVALID_JSON',
  bodyTooLarge: 'WEBHOOK_BODY_TOO_LARGE',
  invalidReview: 'WEBHOOK_INVALID_REVIEW',
  badRequest: 'WEBHOOK_BAD_REQUEST',
  notFound: 'WEBHOOK_NOT_FOUND',
  internal: 'WEBHOOK_INTERNAL_ERROR',
} as const;
export type TransportErrorCode = (typeof TransportErrorCode)[keyof typeof TransportErrorCode];

const STATUS: Record<TransportErrorCode, number> = {
  WEBHOOK_UNSUPPORTED_MEDIA_TYPE: 415,
  WEBHOOK_EMPTY_BODY: 400,
  WEBHOOK_INVALID_JSON: 400,
  WEBHOOK_BODY_TOO_LARGE: 413,
  WEBHOOK_INVALID_REVIEW: 400,
  WEBHOOK_BAD_REQUEST: 400,
  WEBHOOK_NOT_FOUND: 404,
  WEBHOOK_INTERNAL_ERROR: 500,
};

/** A request the webhook cannot answer with an AdmissionReview. */
export class TransportError extends Error {
  override readonly name = 'TransportError';
  readonly statusCode: number;
  constructor(
    readonly code: TransportErrorCode,
    message: string,
  ) {
    super(message);
    this.statusCode = STATUS[code];
  }

  /** The JSON body sent to the client. */
  toBody(): { code: TransportErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}

/** Fastify's own error codes for request problems, mapped onto ours. */
const FASTIFY_CODES: Record<string, TransportErrorCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: TransportErrorCode.unsupportedMediaType,
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: TransportErrorCode.badRequest,
  FST_ERR_CTP_BODY_TOO_LARGE: TransportErrorCode.bodyTooLarge,
  FST_ERR_CTP_EMPTY_JSON_BODY: TransportErrorCode.emptyBody,
  FST_ERR_CTP_INVALID_JSON_BODY: TransportErrorCode.invalidJson,
  FST_ERR_BAD_URL: TransportErrorCode.badRequest,
};

/**
 * Turns whatever fastify or a handler threw into a TransportError. Unknown 4xx errors keep their
 * status with a generic code; anything else is an internal error (a bug, never user input).
 */
export function toTransportError(error: unknown, context: { contentType?: string; bodyLimitBytes: number }): TransportError {
  if (error instanceof TransportError) return error;
  const code = typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : '';
  const mapped = FASTIFY_CODES[code];
  if (mapped === TransportErrorCode.unsupportedMediaType) {
    return new TransportError(mapped, unsupportedMediaTypeMessage(context.contentType));
  }
  if (mapped === TransportErrorCode.bodyTooLarge) {
    return new TransportError(mapped, `request body is larger than the ${formatBytes(context.bodyLimitBytes)} limit`);
  }
  if (mapped === TransportErrorCode.emptyBody) return emptyBodyError();
  if (mapped === TransportErrorCode.invalidJson) return new TransportError(mapped, 'request body is not valid JSON');
  if (mapped !== undefined) return new TransportError(mapped, `bad request (${code})`);
  const status = (error as { statusCode?: unknown })?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const result = new TransportError(TransportErrorCode.badRequest, code ? `bad request (${code})` : 'bad request');
    return Object.assign(result, { statusCode: status });
  }
  return new TransportError(TransportErrorCode.internal, 'internal error while reading the request; see the webhook logs');
}

export function emptyBodyError(): TransportError {
  return new TransportError(TransportErrorCode.emptyBody, 'request body is empty: expected an AdmissionReview (application/json)');
}

export function unsupportedMediaTypeMessage(contentType: string | undefined): string {
  if (contentType === undefined || contentType === '') return 'request has a body but no content type: send an AdmissionReview as application/json';
  return `unsupported content type ${JSON.stringify(clip(contentType, 100))}: send an AdmissionReview as application/json`;
}

export function clip(text: string, maxChars: number): string {
  return text.length <= maxChars ? text : `${text.slice(0, maxChars)}…`;
}

function formatBytes(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`;
}
