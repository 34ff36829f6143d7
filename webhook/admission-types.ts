/**
 * What the admission handler sees and answers, with no HTTP in it. The HTTP layer turns an
 * AdmissionReview into an `AdmissionRequest`, calls `Admit`, and shapes the outcome into the
 * AdmissionReview response (always echoing the request UID).
 */
import type { Operation } from 'fast-json-patch';

/** The fields of `AdmissionReview.request` the injector reads; the rest is ignored. */
export interface AdmissionRequest {
  uid: string;
  kind?: { group?: string; version?: string; kind?: string };
  resource?: { group?: string; version?: string; resource?: string };
  subResource?: string;
  namespace?: string;
  name?: string;
  operation?: string;
  /** The object being admitted, as raw JSON (never round-tripped through a schema). */
  object?: unknown;
  dryRun?: boolean;
}

/** Why a pod is admitted unchanged. */
export const SkipReason = {
  notCreate: 'not-create',
  notPod: 'not-pod',
  noAnnotation: 'no-annotation',
  disabled: 'disabled',
  alreadyInjected: 'already-injected',
  notPending: 'not-pending',
} as const;
export type SkipReason = (typeof SkipReason)[keyof typeof SkipReason];

/** Why a pod is refused. */
export const DenyReason = {
  invalidPod: 'invalid-pod',
  systemNamespace: 'system-namespace',
  invalidAnnotations: 'invalid-annotations',
  invalidTemplate: 'invalid-template',
  podIncompatible: 'pod-incompatible',
  configTooLarge: 'config-too-large',
} as const;
export type DenyReason = (typeof DenyReason)[keyof typeof DenyReason];

/** Which agent containers an injection added (label of the injections metric). */
export const InjectionType = {
  initAndSidecar: 'init_and_sidecar',
  initOnly: 'init_only',
  sidecarOnly: 'sidecar_only',
  nativeSidecar: 'native_sidecar',
  none: 'none',
} as const;
export type InjectionType = (typeof InjectionType)[keyof typeof InjectionType];

export type AdmissionOutcome =
  | { kind: 'inject'; patch: Operation[]; injectionType: InjectionType; warnings: string[] }
  | { kind: 'skip'; reason: SkipReason; warnings: string[] }
  | { kind: 'deny'; reason: DenyReason; message: string; warnings: string[] };

/** The admission decision for one request. Pure and synchronous; never throws on user input. */
export type Admit = (request: AdmissionRequest) => AdmissionOutcome;
