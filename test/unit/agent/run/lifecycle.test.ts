import { describe, expect, it } from 'vitest';
import { decide, type LifecycleEvent, type LifecyclePolicy } from '../../../../agent/run/lifecycle.js';

const policy = (mode: LifecyclePolicy['mode'], overrides: Partial<LifecyclePolicy> = {}): LifecyclePolicy => ({
  mode,
  exitOnRetryFailure: true,
  revokeOnShutdown: false,
  revokeGraceSeconds: 5,
  ...overrides,
});
const round = (overrides: Partial<Extract<LifecycleEvent, { kind: 'round' }>> = {}): LifecycleEvent => ({
  kind: 'round', complete: false, failed: 0, waiting: 0, commandFailures: 0, ...overrides,
});

describe('the agent lifecycle', () => {
  describe('in init mode', () => {
    it('exits 0 once every template rendered', () => {
      expect(decide(policy('init'), round({ complete: true }))).toMatchObject({ kind: 'exit', code: 0, revoke: false });
    });

    it('keeps going while templates fail or wait, whatever exitOnRetryFailure says', () => {
      for (const exitOnRetryFailure of [true, false]) {
        expect(decide(policy('init', { exitOnRetryFailure }), round({ failed: 1 }))).toEqual({ kind: 'continue' });
        expect(decide(policy('init', { exitOnRetryFailure }), round({ waiting: 2 }))).toEqual({ kind: 'continue' });
      }
    });

    it('exits 1 at the init timeout, reporting every unrendered secret', () => {
      expect(decide(policy('init'), { kind: 'init-timeout', timeoutMs: 3000 })).toMatchObject({
        kind: 'exit', code: 1, reportUnrendered: true, reason: expect.stringContaining('3000 ms'),
      });
    });

    it('exits 1 on a failed command only with exitOnRetryFailure; the file is written either way', () => {
      expect(decide(policy('init'), round({ complete: true, commandFailures: 1 }))).toMatchObject({ kind: 'exit', code: 1 });
      expect(decide(policy('init', { exitOnRetryFailure: false }), round({ complete: true, commandFailures: 1 }))).toMatchObject({ kind: 'exit', code: 0 });
    });

    it('exits 1 when stopped before it is done, and never revokes', () => {
      expect(decide(policy('init', { revokeOnShutdown: true }), { kind: 'stop', cause: 'signal', signal: 'SIGTERM' })).toMatchObject({ kind: 'exit', code: 1, revoke: false });
    });
  });

  describe.each(['sidecar', 'native-sidecar'] as const)('in %s mode', (mode) => {
    it('keeps running after renders, and while Vault is unreachable', () => {
      expect(decide(policy(mode), round({ complete: true }))).toEqual({ kind: 'continue' });
      expect(decide(policy(mode), round({ waiting: 3 }))).toEqual({ kind: 'continue' });
      expect(decide(policy(mode), { kind: 'init-timeout', timeoutMs: 1 })).toEqual({ kind: 'continue' });
    });

    it('exits 1 on a template that failed for good or a failed command, only with exitOnRetryFailure', () => {
      expect(decide(policy(mode), round({ failed: 1 }))).toMatchObject({ kind: 'exit', code: 1, revoke: false, reportUnrendered: true });
      expect(decide(policy(mode), round({ complete: true, commandFailures: 1 }))).toMatchObject({ kind: 'exit', code: 1, revoke: false });
      expect(decide(policy(mode, { exitOnRetryFailure: false }), round({ failed: 1, commandFailures: 1 }))).toEqual({ kind: 'continue' });
    });

    it('exits 0 on a stop signal, revoking after the grace period when configured', () => {
      expect(decide(policy(mode), { kind: 'stop', cause: 'signal', signal: 'SIGTERM' })).toMatchObject({ kind: 'exit', code: 0, revoke: false });
      expect(decide(policy(mode, { revokeOnShutdown: true, revokeGraceSeconds: 7 }), { kind: 'stop', cause: 'signal', signal: 'SIGTERM' })).toMatchObject({
        kind: 'exit', code: 0, revoke: true, graceMs: 7000,
      });
    });

    it('exits 0 on a quit request, revoking at once: the app says it is done', () => {
      expect(decide(policy(mode, { revokeOnShutdown: true }), { kind: 'stop', cause: 'quit' })).toMatchObject({ kind: 'exit', code: 0, revoke: true, graceMs: 0 });
    });
  });

  it('exits 1 on a fatal event in every mode', () => {
    for (const mode of ['init', 'sidecar', 'native-sidecar'] as const) {
      expect(decide(policy(mode), { kind: 'fatal', reason: 'login failed' })).toMatchObject({ kind: 'exit', code: 1, reason: 'login failed' });
    }
  });
});
