import { describe, expect, it } from 'vitest';
import {
  duration,
  fileMode,
  goBool,
  goDurationMs,
  integer,
  jsonPatch,
  mountPath,
  optionalQuantity,
  quantity,
  unsigned,
} from '../../../contract/annotations/value-types.js';

describe('Go-style booleans', () => {
  it.each(['1', 't', 'T', 'TRUE', 'true', 'True'])('reads %j as true', (raw) => {
    expect(goBool.parse(raw)).toEqual({ ok: true, value: true });
  });
  it.each(['0', 'f', 'F', 'FALSE', 'false', 'False', ''])('reads %j as false', (raw) => {
    expect(goBool.parse(raw)).toEqual({ ok: true, value: false });
  });
  it.each(['yes', 'on', 'tRuE', ' true', 'no', '2'])('rejects %j', (raw) => {
    expect(goBool.parse(raw).ok).toBe(false);
  });
});

describe('Go durations', () => {
  it.each([
    ['0', 0],
    ['300ms', 300],
    ['1.5s', 1500],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['2h45m30.5s', 9_930_500],
    ['1000us', 1],
    ['1000000ns', 1],
  ])('reads %j as %d ms', (raw, ms) => {
    expect(goDurationMs(raw)).toBeCloseTo(ms);
  });
  it.each(['5 parsecs', '5', '1d', '', 'm', '1h 30m', '-'])('rejects %j', (raw) => {
    expect(duration.parse(raw).ok).toBe(false);
  });
  it('rejects negative durations', () => {
    expect(duration.parse('-5s').ok).toBe(false);
  });
});

describe('Kubernetes quantities', () => {
  it.each(['250m', '1', '0.5', '64Mi', '1Gi', '1G', '128M', '1e3', '1.5Ki'])('accepts %j', (raw) => {
    expect(quantity.parse(raw)).toEqual({ ok: true, value: raw });
  });
  it.each(['1 Gi', 'abc', '1GB', '-1', 'Mi', '1.2.3'])('rejects %j', (raw) => {
    expect(quantity.parse(raw).ok).toBe(false);
  });
  it('treats an empty quantity as unset', () => {
    expect(optionalQuantity.parse('')).toEqual({ ok: true, value: undefined });
  });
});

describe('numbers', () => {
  it('bounds integers and names what it expected', () => {
    const uid = integer(0, 100, 'a user ID');
    expect(uid.parse('42')).toEqual({ ok: true, value: 42 });
    expect(uid.parse('root')).toEqual({ ok: false, expected: 'a user ID' });
    expect(uid.parse('101')).toEqual({ ok: false, expected: 'a user ID from 0 to 100' });
  });
  it('reads unsigned integers like strconv.ParseUint', () => {
    const grace = unsigned(1000);
    expect(grace.parse('01')).toEqual({ ok: true, value: 1 });
    expect(grace.parse('-1').ok).toBe(false);
    expect(grace.parse('foobar').ok).toBe(false);
  });
  it('reads octal file modes', () => {
    expect(fileMode.parse('0600')).toEqual({ ok: true, value: 0o600 });
    expect(fileMode.parse('644')).toEqual({ ok: true, value: 0o644 });
    expect(fileMode.parse('0888').ok).toBe(false);
    expect(fileMode.parse('rw-r--r--').ok).toBe(false);
  });
});

describe('JSON patches', () => {
  it.each(['', 'null', '[]'])('reads %j as no patch', (raw) => {
    expect(jsonPatch.parse(raw)).toEqual({ ok: true, value: [] });
  });
  it('accepts well-formed operations', () => {
    const raw = '[{"op":"replace","path":"/name","value":"renamed"}]';
    expect(jsonPatch.parse(raw)).toEqual({ ok: true, value: [{ op: 'replace', path: '/name', value: 'renamed' }] });
  });
  it.each(['{', '{"op":"add"}', '[{"op":"explode","path":"/x"}]', '[{"op":"add","path":"/x"}]'])(
    'rejects %j',
    (raw) => {
      expect(jsonPatch.parse(raw).ok).toBe(false);
    },
  );
});

describe('mount paths', () => {
  it('drops leading and trailing slashes', () => {
    expect(mountPath.parse('/auth/kubernetes/')).toEqual({ ok: true, value: 'auth/kubernetes' });
  });
  it.each(['auth/k8s=a&b', 'auth/../sys', '', 'auth//x'])('rejects %j', (raw) => {
    expect(mountPath.parse(raw).ok).toBe(false);
  });
});
