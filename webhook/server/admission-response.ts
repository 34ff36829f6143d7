/**
 * The one function that shapes every AdmissionReview response, in the apiVersion of the request,
 * always echoing the request UID. Nothing else in the webhook builds a response body.
 */
import type { Operation } from 'fast-json-patch';
import { BoundedLru } from '../bounded-lru.js';
import type { DenyReason } from '../admission-types.js';
import type { AdmissionApiVersion } from './read-admission-review.js';

/** The answer to one review, as the HTTP layer decided it. */
export type AdmissionAnswer =
  | { kind: 'patch'; patch: readonly Operation[]; warnings: readonly string[] }
  | { kind: 'allow'; warnings: readonly string[] }
  | { kind: 'deny'; status: DenialStatus; message: string; warnings: readonly string[] };

/** `metav1.Status` fields of a denial; the API server returns them to the client. */
export interface DenialStatus {
  code: number;
  reason: 'BadRequest' | 'Forbidden' | 'InternalError';
}

export interface AdmissionReviewResponse {
  apiVersion: AdmissionApiVersion;
  kind: 'AdmissionReview';
  response: {
    uid: string;
    allowed: boolean;
    patchType?: 'JSONPatch';
    /** base64 of the JSON Patch document. */
    patch?: string;
    warnings?: string[];
    status?: { status: 'Failure'; code: number; reason: string; message: string };
  };
}

/**
 * Denials are HTTP 400 "BadRequest" (the pod's annotations or shape are wrong and the author can
 * fix them), except refusing a system namespace, which is 403 "Forbidden". The API server never
 * lets a denial through with a code below 400, and without a code it picks one itself.
 */
export const DENIAL_STATUS: Record<DenyReason | 'malformed-request' | 'internal-error', DenialStatus> = {
  'invalid-pod': { code: 400, reason: 'BadRequest' },
  'system-namespace': { code: 403, reason: 'Forbidden' },
  'invalid-annotations': { code: 400, reason: 'BadRequest' },
  'invalid-template': { code: 400, reason: 'BadRequest' },
  'pod-incompatible': { code: 400, reason: 'BadRequest' },
  'config-too-large': { code: 400, reason: 'BadRequest' },
  'malformed-request': { code: 400, reason: 'BadRequest' },
  'internal-error': { code: 500, reason: 'InternalError' },
};

export function shapeAdmissionResponse(apiVersion: AdmissionApiVersion, uid: string, answer: AdmissionAnswer): AdmissionReviewResponse {
  const response: AdmissionReviewResponse['response'] = { uid, allowed: answer.kind !== 'deny' };
  if (answer.kind === 'patch' && answer.patch.length > 0) {
    response.patchType = 'JSONPatch';
    response.patch = Buffer.from(patchJson(answer.patch)).toString('base64');
  }
  if (answer.kind === 'deny') {
    // An empty message would read "denied the request without explanation"; never send one.
    const message = answer.message.trim() === '' ? 'denied by the vault-injector webhook' : answer.message;
    response.status = { status: 'Failure', code: answer.status.code, reason: answer.status.reason, message };
  }
  const warnings = shapeWarnings(answer.warnings);
  if (warnings.length > 0) response.warnings = warnings;
  return { apiVersion, kind: 'AdmissionReview', response };
}

/**
 * The JSON text of a patch: what `JSON.stringify` writes, except that a container's `env` comes
 * last. The bulk of an injection patch is the agent configuration in the agent containers' env,
 * the same few strings for every pod of a workload; `JSON.stringify` copies long strings slowly,
 * so their JSON forms are remembered (keyed by the string itself, whose hash V8 keeps) and
 * spliced in, while everything else is written by `JSON.stringify` in one native call per part.
 */
export function patchJson(patch: readonly Operation[]): string {
  let text = '[';
  for (let i = 0; i < patch.length; i++) {
    const op = patch[i]!;
    if (i > 0) text += ',';
    const value = (op as { value?: unknown }).value;
    if (!holdsContainers(value) || Object.keys(op).some((k) => k !== 'op' && k !== 'path' && k !== 'value')) {
      text += JSON.stringify(op);
      continue;
    }
    text += `{"op":${JSON.stringify(op.op)},"path":${JSON.stringify(op.path)},"value":${containersJson(value)}}`;
  }
  return `${text}]`;
}

/** Strings at least this long have their JSON form remembered. */
const LONG_STRING = 512;
/** Weighed at key and JSON form together: at most about 16 MiB of one-byte text. */
const longStringJson = new BoundedLru<string>(1_024, 16 * 1024 * 1024);

type JsonRecord = Record<string, unknown>;

function isContainerWithEnv(value: unknown): value is JsonRecord & { env: unknown[] } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Array.isArray((value as JsonRecord)['env']);
}

function holdsContainers(value: unknown): boolean {
  return isContainerWithEnv(value) || (Array.isArray(value) && value.some(isContainerWithEnv));
}

function containersJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(containersJson).join(',')}]`;
  if (!isContainerWithEnv(value)) return JSON.stringify(value) ?? 'null';
  const { env, ...rest } = value;
  const head = JSON.stringify(rest);
  return `${head.slice(0, -1)}${head.length > 2 ? ',' : ''}"env":[${env.map(envVarJson).join(',')}]}`;
}

function envVarJson(variable: unknown): string {
  if (typeof variable !== 'object' || variable === null) return JSON.stringify(variable) ?? 'null';
  const { name, value } = variable as JsonRecord;
  const keys = Object.keys(variable);
  const plain = typeof name === 'string' && typeof value === 'string' && keys.length === 2 && keys[0] === 'name' && keys[1] === 'value';
  if (!plain || value.length < LONG_STRING) return JSON.stringify(variable);
  let json = longStringJson.get(value);
  if (json === undefined) longStringJson.set(value, (json = JSON.stringify(value)), value.length + json.length);
  return `{"name":${JSON.stringify(name)},"value":${json}}`;
}

/**
 * The response's JSON text, the same as `JSON.stringify(review)`, but with the patch (base64, as
 * `shapeAdmissionResponse` makes it, and the bulk of the body) spliced in rather than scanned for
 * escapes again: base64 never needs escaping in JSON, and `JSON.stringify` copies long strings slowly.
 */
export function serializeAdmissionReview(review: AdmissionReviewResponse): string {
  const { uid, allowed, patchType, patch, ...rest } = review.response;
  if (patch === undefined || patchType === undefined) return JSON.stringify(review);
  const head = `{"apiVersion":${JSON.stringify(review.apiVersion)},"kind":${JSON.stringify(review.kind)},"response":{"uid":${JSON.stringify(uid)},"allowed":${allowed},"patchType":${JSON.stringify(patchType)},"patch":"`;
  const tail = JSON.stringify(rest);
  return `${head}${patch}"${tail === '{}' ? '}' : `,${tail.slice(1)}`}}`;
}

/**
 * The API server may truncate a warning over 256 characters and ignores warnings past 4096
 * characters in total (Kubernetes "Dynamic Admission Control", response warnings). We apply
 * those limits ourselves so the cut is visible ("…") and a final warning says how many were left
 * out, instead of warnings silently disappearing. Control characters (newlines) would break the
 * HTTP Warning header the API server turns them into, so they become spaces; duplicates go.
 */
export const MAX_WARNING_CHARS = 256;
export const MAX_WARNINGS_TOTAL_CHARS = 4096;

export function shapeWarnings(warnings: readonly string[]): string[] {
  if (warnings.length === 0) return [];
  const shaped: string[] = [];
  const seen = new Set<string>();
  let total = 0;
  for (let i = 0; i < warnings.length; i++) {
    const warning = clipWarning(String(warnings[i]));
    if (warning === '' || seen.has(warning)) continue;
    const omitted = `${warnings.length - i} more warning(s) omitted`;
    if (total + warning.length + omitted.length > MAX_WARNINGS_TOTAL_CHARS) {
      shaped.push(omitted);
      break;
    }
    seen.add(warning);
    shaped.push(warning);
    total += warning.length;
  }
  return shaped;
}

function clipWarning(warning: string): string {
  // eslint-disable-next-line no-control-regex -- replacing control characters is the point
  const clean = warning.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  if (clean.length <= MAX_WARNING_CHARS) return clean;
  let cut = MAX_WARNING_CHARS - 1;
  if (/[\ud800-\udbff]/.test(clean.charAt(cut - 1))) cut--; // keep surrogate pairs whole
  return `${clean.slice(0, cut)}…`;
}
