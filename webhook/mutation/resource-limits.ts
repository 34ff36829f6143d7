/**
 * Catches a request above its limit at admission, with the annotation keys to fix; otherwise
 * the API server refuses the pod after the webhook, naming only the injected container.
 */
import type { InjectionSpec } from '../../contract/annotations/index.js';
import type { MutationReport } from './mutation-problems.js';

const RESOURCES = [
  { resource: 'cpu', request: 'requestsCpu', limit: 'limitsCpu', requestKey: 'agent-requests-cpu', limitKey: 'agent-limits-cpu' },
  { resource: 'memory', request: 'requestsMem', limit: 'limitsMem', requestKey: 'agent-requests-mem', limitKey: 'agent-limits-mem' },
  {
    resource: 'ephemeral-storage',
    request: 'requestsEphemeral',
    limit: 'limitsEphemeral',
    requestKey: 'agent-requests-ephemeral',
    limitKey: 'agent-limits-ephemeral',
  },
] as const;

export function checkRequestsWithinLimits(spec: InjectionSpec, report: MutationReport): void {
  for (const r of RESOURCES) {
    const request = quantityValue(spec[r.request]);
    const limit = quantityValue(spec[r.limit]);
    if (request !== undefined && limit !== undefined && request > limit) {
      report.problem(`the ${r.resource} request is above the limit set by ${r.limitKey}; Kubernetes refuses that`, r.requestKey);
    }
  }
}

const SUFFIX: Record<string, number> = {
  '': 1,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** A Kubernetes quantity as a number (precise enough to compare); `undefined` when unset or unreadable. */
export function quantityValue(quantity: string | undefined): number | undefined {
  const match = /^\+?(\d+\.?\d*|\.\d+)(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]))?$/.exec(quantity?.trim() ?? '');
  if (!match) return undefined;
  const exponent = match[2] ? 10 ** Number(match[2].slice(1)) : 1;
  return Number(match[1]) * exponent * (SUFFIX[match[3] ?? ''] ?? 1);
}
