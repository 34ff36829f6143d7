/**
 * The only body parser of the app: `application/json` (any parameters, e.g. `charset=utf-8`).
 * Every other content type is answered 415 by fastify and mapped by the error handler. Unlike
 * fastify's default JSON parser this one reports our own error codes, and it rejects `__proto__`
 * keys the same way (JSON.parse makes them harmless own properties, but code that merges objects
 * could turn one into a prototype change).
 */
import type { FastifyRequest } from 'fastify';
import { clip, emptyBodyError, TransportError, TransportErrorCode } from './transport-errors.js';

type Done = (error: Error | null, body?: unknown) => void;

export function parseJsonBody(_request: FastifyRequest, text: string | Buffer, done: Done): void {
  const body = typeof text === 'string' ? text : text.toString('utf8');
  if (body.length === 0) return done(emptyBodyError());
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    if (/^\s*$/.test(body)) return done(emptyBodyError());
    const detail = error instanceof Error ? `: ${clip(error.message, 160)}` : '';
    return done(new TransportError(TransportErrorCode.invalidJson, `request body is not valid JSON${detail}`));
  }
  // The scan only runs on the rare body that mentions the key at all.
  if (body.includes('"__proto__"') && hasProtoKey(value)) {
    return done(new TransportError(TransportErrorCode.invalidJson, 'request body contains a forbidden "__proto__" key'));
  }
  done(null, value);
}

function hasProtoKey(root: unknown): boolean {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value !== 'object' || value === null) continue;
    if (!Array.isArray(value) && Object.hasOwn(value, '__proto__')) return true;
    for (const child of Object.values(value)) stack.push(child);
  }
  return false;
}
