/**
 * What the agent knows about each template between renders: whether its file is current, when it
 * last rendered, how often in a row it failed and why. Readiness, metrics and the init timeout's
 * log lines read it. Never holds rendered content.
 */
import type { SecretRequest } from '../templates/template-engine.js';

export const TemplateState = {
  /** Not rendered yet. */
  pending: 'pending',
  /** The last render succeeded; the file holds its content. */
  rendered: 'rendered',
  /** The last render failed (a template error, a final Vault error, or the write failed). */
  failed: 'failed',
  /** The last render could not get all its data (Vault unreachable, the fetch gave up). */
  waiting: 'waiting',
} as const;
export type TemplateState = (typeof TemplateState)[keyof typeof TemplateState];

export interface TemplateStatus {
  readonly name: string;
  readonly destination: string;
  state: TemplateState;
  /** Epoch ms of the last successful render (file written or already current). */
  lastRenderMs: number | undefined;
  /** Epoch ms of the last write of new content. */
  lastWriteMs: number | undefined;
  /** Failed renders, writes or commands in a row; 0 after a render whose command (if it ran) succeeded. */
  consecutiveErrors: number;
  /** Why the last render (or its command) did not succeed; safe to log (no data). */
  reason: string | undefined;
  /** What the template asked Vault for in its last render, for refresh and lease metrics. */
  requests: SecretRequest[];
  /** What it still waits for, when `state` is waiting. */
  missing: SecretRequest[];
}

export function initialStatus(name: string, destination: string): TemplateStatus {
  return {
    name,
    destination,
    state: TemplateState.pending,
    lastRenderMs: undefined,
    lastWriteMs: undefined,
    consecutiveErrors: 0,
    reason: undefined,
    requests: [],
    missing: [],
  };
}

/** `read secret/data/app`, for log lines and reasons: the Vault path, never parameters (they may be sensitive). */
export function describeRequest(request: SecretRequest): string {
  return `${request.kind} ${request.path}`;
}

/** Every template has rendered at least once: its file exists with content from Vault. */
export function allRenderedOnce(statuses: readonly TemplateStatus[]): boolean {
  return statuses.every((status) => status.lastRenderMs !== undefined);
}
