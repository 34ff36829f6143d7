import { describe, expect, it } from 'vitest';
import { formatGoTemplateValue, formatGoValue } from '../../../../agent/templates/go-format/format-go-value.js';
import { formatGoJsonNumber } from '../../../../agent/templates/go-format/go-json-number.js';
import { compareGoStrings, goSortedKeys } from '../../../../agent/templates/go-format/go-string-order.js';
import { marshalGoJson, marshalGoJsonIndent, quoteGoJsonString } from '../../../../agent/templates/go-format/marshal-go-json.js';
import { formatGoPrintf } from '../../../../agent/templates/go-format/format-go-printf.js';

describe('Go string order', () => {
  it.each([
    ['a', 'b', -1],
    ['b', 'a', 1],
    ['a', 'a', 0],
    ['a', 'ab', -1],
    ['Z', 'a', -1], // bytes: uppercase before lowercase
    ['z', 'é', -1],
    ['\uffa0', '😀', -1], // U+FFA0 < U+1F600 in UTF-8, though JavaScript's sort puts the surrogate first
    ['😀', '\uffff', 1],
  ])('compares %j with %j like Go (%i)', (a, b, sign) => {
    expect(Math.sign(compareGoStrings(a, b))).toBe(sign);
  });

  it('sorts map keys in UTF-8 byte order', () => {
    expect(goSortedKeys({ '😀emoji': 1, '\uffa0hw': 1, ümlaut: 1, b: 1, Zupper: 1, 'key with space': 1 })).toEqual([
      'Zupper', 'b', 'key with space', 'ümlaut', '\uffa0hw', '😀emoji',
    ]);
  });
});

describe('numbers as Go prints a json.Number from Vault', () => {
  it.each([
    [1, '1'],
    [1.5, '1.5'],
    [100000000, '100000000'], // a json.Number keeps its text: not %g's 1e+08
    [123456789, '123456789'],
    [1e21, '1e+21'],
    [1e20, '100000000000000000000'],
    [0.000001, '0.000001'],
    [1e-7, '1e-7'],
    [1.5e-10, '1.5e-10'],
    [-1.25, '-1.25'],
    [-0, '-0'],
    [0, '0'],
    [Number('12345678901234567890'), '12345678901234567000'], // beyond 2^53, as KV v2 returns it
    [Number.MAX_SAFE_INTEGER, '9007199254740991'],
    [5e-324, '5e-324'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
  ])('%d prints as %s', (value, text) => {
    expect(formatGoJsonNumber(value)).toBe(text);
  });

  it('refuses numbers JSON cannot carry', () => {
    expect(() => formatGoJsonNumber(Number.NaN)).toThrow(TypeError);
    expect(() => formatGoJsonNumber(Infinity)).toThrow(TypeError);
  });
});

describe('formatGoValue (%v)', () => {
  it.each<[string, unknown, string]>([
    ['a string raw', 'a b\n"c"', 'a b\n"c"'],
    ['an empty string as nothing', '', ''],
    ['nil', null, '<nil>'],
    ['true', true, 'true'],
    ['false', false, 'false'],
    ['a number', 100000000, '100000000'],
    ['a list', [1, 'a', null, true], '[1 a <nil> true]'],
    ['an empty list', [], '[]'],
    ['nested lists', [[2, 3], []], '[[2 3] []]'],
    ['a map with sorted keys', { b: 2, a: 1 }, 'map[a:1 b:2]'],
    ['an empty map', {}, 'map[]'],
    ['nested maps', { z: 1, a: { c: [], b: null }, m: {} }, 'map[a:map[b:<nil> c:[]] m:map[] z:1]'],
    ['a map in a list', [{ k: 'v' }], '[map[k:v]]'],
    ['keys and values with spaces raw', { 'a key': 'a value' }, 'map[a key:a value]'],
    ['KV v2 metadata', { version: 1, destroyed: false, deletion_time: '', custom_metadata: null, created_time: 't' },
      'map[created_time:t custom_metadata:<nil> deletion_time: destroyed:false version:1]'],
  ])('prints %s', (_, value, text) => {
    expect(formatGoValue(value)).toBe(text);
  });

  it('prints a top-level nil as text/template does: <no value>', () => {
    expect(formatGoTemplateValue(null)).toBe('<no value>');
    expect(formatGoTemplateValue(undefined)).toBe('<no value>');
    expect(formatGoTemplateValue({ a: null })).toBe('map[a:<nil>]');
  });

  it('refuses values that are not data, without quoting them', () => {
    expect(() => formatGoValue(() => 'CANARY')).toThrow(/cannot format a function/);
    expect(() => formatGoValue(() => 'CANARY')).not.toThrow(/CANARY/);
  });
});

describe('marshalGoJson (encoding/json)', () => {
  it.each<[string, unknown, string]>([
    ['sorted keys, no spaces', { b: [1, 2], a: { d: true, c: null } }, '{"a":{"c":null,"d":true},"b":[1,2]}'],
    ['empty containers', { a: [], b: {} }, '{"a":[],"b":{}}'],
    ['numbers as Go writes them', [1, 1.5, 1e21, 1e-7, 0.000001, -0], '[1,1.5,1e+21,1e-7,0.000001,-0]'],
    ['HTML characters escaped', '<a href="x">&</a>', '"\\u003ca href=\\"x\\"\\u003e\\u0026\\u003c/a\\u003e"'],
    ['line and paragraph separators escaped', 'x\u2028y\u2029z', '"x\\u2028y\\u2029z"'],
    ['short escapes (Go ≥ 1.22 uses \\b and \\f)', '\b\f\n\r\t"\\', '"\\b\\f\\n\\r\\t\\"\\\\"'],
    ['other control characters as \\u00XX, DEL and / raw', '\u0001\u001f\u007f/', '"\\u0001\\u001f\u007f/"'],
    ['non-ASCII raw', 'héllo ☃ 😀', '"héllo ☃ 😀"'],
    ['a lone surrogate as the replacement character escape', 'a\ud800b', '"a\\ufffdb"'],
    ['escaped keys', { '<k>': 1 }, '{"\\u003ck\\u003e":1}'],
    ['nothing as null', undefined, 'null'],
  ])('writes %s', (_, value, json) => {
    expect(marshalGoJson(value)).toBe(json);
  });

  it('quotes strings like Go', () => {
    expect(quoteGoJsonString('a&b')).toBe('"a\\u0026b"');
  });

  it('indents like json.MarshalIndent(v, "", "  "), keeping empty containers compact', () => {
    expect(marshalGoJsonIndent({ b: [1, [2]], a: {}, c: [], d: { e: 'f' } })).toBe(
      '{\n  "a": {},\n  "b": [\n    1,\n    [\n      2\n    ]\n  ],\n  "c": [],\n  "d": {\n    "e": "f"\n  }\n}',
    );
    expect(marshalGoJsonIndent([])).toBe('[]');
    expect(marshalGoJsonIndent('x')).toBe('"x"');
  });
});

describe('formatGoPrintf', () => {
  it.each<[string, unknown[], string]>([
    ['%s:%d', ['host', 5432], 'host:5432'],
    ['%v', [{ b: 1, a: [true] }], 'map[a:[true] b:1]'],
    ['100%%', [], '100%'],
    ['%d', ['42'], '42'],
    ['%s', [1e21], '1e+21'],
  ])('formats %j with %j', (format, args, text) => {
    expect(formatGoPrintf(format, args)).toBe(text);
  });

  it.each<[string, unknown[], RegExp]>([
    ['%s %s', ['a'], /more verbs/],
    ['%s', ['a', 'b'], /left over/],
    ['%x', ['a'], /only %v, %s, %d/],
    ['%5s', ['a'], /only %v, %s, %d/],
    ['%', [], /ends with %/],
    ['%d', ['CANARY'], /argument 1 is not/],
  ])('refuses %j with %j', (format, args, message) => {
    expect(() => formatGoPrintf(format, args)).toThrow(message);
    expect(() => formatGoPrintf(format, args)).not.toThrow(/CANARY/);
  });
});
