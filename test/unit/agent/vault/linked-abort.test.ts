import { describe, expect, it, vi } from 'vitest';
import { linkedAbort } from '../../../../agent/vault/linked-abort.js';

describe('linked abort signal', () => {
  it('follows its parent until disposed', () => {
    const parent = new AbortController();
    const linked = linkedAbort(parent.signal);
    parent.abort('stop');
    expect(linked.signal.aborted).toBe(true);
    expect(linked.signal.reason).toBe('stop');
    expect(linked.timedOut()).toBe(false);

    const other = new AbortController();
    const disposed = linkedAbort(other.signal);
    disposed.dispose();
    other.abort();
    expect(disposed.signal.aborted).toBe(false);
  });

  it('starts aborted under an aborted parent', () => {
    expect(linkedAbort(AbortSignal.abort('gone')).signal.reason).toBe('gone');
  });

  it('aborts on its timeout and says so; dispose clears the timer', () => {
    vi.useFakeTimers();
    try {
      const timed = linkedAbort(undefined, 100);
      vi.advanceTimersByTime(100);
      expect(timed.signal.aborted).toBe(true);
      expect(timed.timedOut()).toBe(true);
      const cleared = linkedAbort(undefined, 100);
      cleared.dispose();
      vi.advanceTimersByTime(1_000);
      expect(cleared.signal.aborted).toBe(false);
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('aborts alone without touching the parent', () => {
    const parent = new AbortController();
    const linked = linkedAbort(parent.signal);
    linked.abort();
    expect(linked.signal.aborted).toBe(true);
    expect(parent.signal.aborted).toBe(false);
  });
});
