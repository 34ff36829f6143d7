/**
 * An abort signal that follows a parent signal and, optionally, a timeout — released with
 * `dispose()`. Not `AbortSignal.any`/`AbortSignal.timeout`: on Node 20.20 every `AbortSignal.any`
 * over a long-lived signal stays reachable from it (measured: +19 MiB of heap after 300,000
 * calls, flat with this listener pair), and a `timeout` signal keeps its timer for the whole
 * timeout after the request is done. A sidecar making requests for weeks cannot afford either.
 */
export interface LinkedAbort {
  readonly signal: AbortSignal;
  /** The timeout fired (rather than the parent aborting). */
  timedOut(): boolean;
  /** Aborts this signal only, not the parent. */
  abort(reason?: unknown): void;
  /** Unlinks from the parent and clears the timer. */
  dispose(): void;
}

export function linkedAbort(parent: AbortSignal | undefined, timeoutMs?: number): LinkedAbort {
  const controller = new AbortController();
  let expired = false;
  const onParentAbort = () => controller.abort(parent?.reason);
  if (parent?.aborted) controller.abort(parent.reason);
  else parent?.addEventListener('abort', onParentAbort, { once: true });
  const timer =
    timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          expired = true;
          controller.abort(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError'));
        }, timeoutMs);
  return {
    signal: controller.signal,
    timedOut: () => expired,
    abort: (reason) => controller.abort(reason),
    dispose() {
      clearTimeout(timer);
      parent?.removeEventListener('abort', onParentAbort);
    },
  };
}
