/**
 * Reads a parsed request body as an AdmissionReview (`admission.k8s.io/v1` or `v1beta1`; both have
 * the same request shape) and extracts the fields the handler uses. No schema library: the pod in
 * `request.object` must stay raw JSON (a stripping schema would lose fields), and the envelope is
 * small enough to check by hand on the hot path.
 *
 * Without an object body, a `request` object or a non-empty string `uid` there is nothing to
 * answer, so these throw a TransportError (HTTP 400). With a UID, wrongly typed fields come back as
 * `problems`, which the caller turns into a denial that echoes the UID.
 */
import { isJsonObject } from '../../contract/json-object.js';
import type { AdmissionRequest } from '../admission-types.js';
import { TransportError, TransportErrorCode } from './transport-errors.js';

export const AdmissionApiVersion = {
  v1: 'admission.k8s.io/v1',
  v1beta1: 'admission.k8s.io/v1beta1',
} as const;
export type AdmissionApiVersion = (typeof AdmissionApiVersion)[keyof typeof AdmissionApiVersion];

export type ReadReviewResult =
  | { ok: true; apiVersion: AdmissionApiVersion; request: AdmissionRequest }
  | { ok: false; apiVersion: AdmissionApiVersion; uid: string; namespace: string | undefined; problems: string[] };

/** The apiVersion to answer in: the one asked for, v1 when it is missing or unknown. */
export function responseApiVersion(body: unknown): AdmissionApiVersion {
  const asked = isJsonObject(body) ? body['apiVersion'] : undefined;
  return asked === AdmissionApiVersion.v1beta1 ? AdmissionApiVersion.v1beta1 : AdmissionApiVersion.v1;
}

export function readAdmissionReview(body: unknown): ReadReviewResult {
  if (!isJsonObject(body)) {
    throw invalidReview(`request body must be a JSON object (an AdmissionReview), not ${describe(body)}`);
  }
  const raw = body['request'];
  if (raw === undefined || raw === null) throw invalidReview('AdmissionReview has no "request"');
  if (!isJsonObject(raw)) throw invalidReview(`AdmissionReview "request" must be an object, not ${describe(raw)}`);
  const uid = raw['uid'];
  if (typeof uid !== 'string' || uid === '') {
    throw invalidReview(`AdmissionReview "request.uid" must be a non-empty string, not ${describe(uid)}`);
  }

  const apiVersion = responseApiVersion(body);
  const problems: string[] = [];
  const request: AdmissionRequest = { uid };
  for (const field of ['namespace', 'name', 'operation', 'subResource'] as const) {
    const value = optionalString(raw, field, problems);
    if (value !== undefined) request[field] = value;
  }
  const kind = optionalGroupVersion(raw, 'kind', ['group', 'version', 'kind'], problems);
  if (kind !== undefined) request.kind = kind;
  const resource = optionalGroupVersion(raw, 'resource', ['group', 'version', 'resource'], problems);
  if (resource !== undefined) request.resource = resource;
  const dryRun = raw['dryRun'];
  if (typeof dryRun === 'boolean') request.dryRun = dryRun;
  else if (dryRun !== undefined && dryRun !== null) problems.push(`"request.dryRun" must be a boolean, not ${describe(dryRun)}`);
  if (raw['object'] !== undefined && raw['object'] !== null) request.object = raw['object'];

  if (problems.length > 0) return { ok: false, apiVersion, uid, namespace: request.namespace, problems };
  return { ok: true, apiVersion, request };
}

function optionalString(raw: Record<string, unknown>, field: string, problems: string[]): string | undefined {
  const value = raw[field];
  if (value === undefined || value === null || typeof value === 'string') return value ?? undefined;
  problems.push(`"request.${field}" must be a string, not ${describe(value)}`);
  return undefined;
}

function optionalGroupVersion<K extends string>(
  raw: Record<string, unknown>,
  field: string,
  keys: readonly K[],
  problems: string[],
): Partial<Record<K, string>> | undefined {
  const value = raw[field];
  if (value === undefined || value === null) return undefined;
  if (!isJsonObject(value)) {
    problems.push(`"request.${field}" must be an object, not ${describe(value)}`);
    return undefined;
  }
  const result: Partial<Record<K, string>> = {};
  for (const key of keys) {
    const part = value[key];
    if (typeof part === 'string') result[key] = part;
    else if (part !== undefined && part !== null) problems.push(`"request.${field}.${key}" must be a string, not ${describe(part)}`);
  }
  return result;
}


/** The JSON type of a value, for messages; never the value itself. */
function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return value === '' ? 'an empty string' : 'a string';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

function invalidReview(message: string): TransportError {
  return new TransportError(TransportErrorCode.invalidReview, message);
}
