import { describe, expect, it } from 'vitest';
import { lexGoTemplate } from '../../../../agent/templates/go/lex-go-template.js';
import { parseGoStringLiteral } from '../../../../agent/templates/go/go-string-literal.js';

describe('lexGoTemplate', () => {
  it('splits text and actions, with the line each action starts on', () => {
    expect(lexGoTemplate('a\n{{ x }}b')).toEqual({
      ok: true,
      items: [{ kind: 'text', text: 'a\n' }, { kind: 'action', body: ' x ', line: 2 }, { kind: 'text', text: 'b' }],
    });
  });

  it('trims white space around trim markers, and only white space', () => {
    const lexed = lexGoTemplate('a. \t\r\n {{- x -}} \n .b');
    expect(lexed).toEqual({ ok: true, items: [{ kind: 'text', text: 'a.' }, { kind: 'action', body: 'x', line: 2 }, { kind: 'text', text: '.b' }] });
  });

  it('does not take {{-3}} for a trim marker', () => {
    expect(lexGoTemplate('a {{-3}}')).toEqual({ ok: true, items: [{ kind: 'text', text: 'a ' }, { kind: 'action', body: '-3', line: 1 }] });
  });

  it('finds the right delimiter outside quoted strings', () => {
    expect(lexGoTemplate('{{ secret "a}}b" `c}}` }}')).toEqual({ ok: true, items: [{ kind: 'action', body: ' secret "a}}b" `c}}` ', line: 1 }] });
  });

  it('uses custom delimiters', () => {
    expect(lexGoTemplate('<% x %>{{ y }}', '<%', '%>')).toEqual({ ok: true, items: [{ kind: 'action', body: ' x ', line: 1 }, { kind: 'text', text: '{{ y }}' }] });
  });

  it('reports an unclosed action with its line', () => {
    expect(lexGoTemplate('a\n\n{{ x')).toEqual({ ok: false, reason: 'line 3: unclosed action' });
  });
});

describe('parseGoStringLiteral', () => {
  it.each([
    ['"plain"', 'plain'],
    ['"a\\"b\\\\c"', 'a"b\\c'],
    ['"\\a\\b\\f\\n\\r\\t\\v"', '\x07\b\f\n\r\t\v'],
    ['"\\x41\\101\\u00e9\\U0001F600"', 'AAé😀'],
    ['"\\xc3\\xa9"', 'é'], // \x escapes are bytes
    ['"héllo"', 'héllo'],
    ['"kv/😀"', 'kv/😀'], // a surrogate pair, not a plain literal
    ['"kv/\ud800x"', 'kv/\ufffdx'], // a lone surrogate (possible in a JS string) becomes U+FFFD, as in UTF-8
    ['`raw \\n "x"`', 'raw \\n "x"'],
    ['`a\r\nb`', 'a\nb'],
  ])('reads %s', (literal, value) => {
    expect(parseGoStringLiteral(literal)).toBe(value);
  });

  it.each(['plain', '"open', '"a"b"', '"\\q"', '"\\x4"', '"\\ud800"', '"\\777"', '"a\nb"', "'c'"])('refuses %s', (literal) => {
    expect(parseGoStringLiteral(literal)).toBeUndefined();
  });
});
