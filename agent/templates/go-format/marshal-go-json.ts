/**
 * Go's `encoding/json` `Marshal` and `MarshalIndent(v, "", indent)` for decoded JSON data —
 * what consul-template's `toJSON` and `toJSONPretty` write: map keys in Go's sorted order, no
 * spaces, numbers as Go writes them, and Go's string escaping with HTML escaping on.
 */
import { formatGoJsonNumber } from './go-json-number.js';
import { goSortedKeys } from './go-string-order.js';

/** Characters Go escapes in a JSON string (HTML-safe mode), and lone surrogates. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what must be escaped
const NEEDS_ESCAPE = /[\u0000-\u001f"\\<>&\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '\b': '\\b', // Go ≥ 1.22 writes \b and \f rather than \u0008 and \u000c
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

function escapeCharacter(character: string): string {
  const short = SHORT_ESCAPES[character];
  if (short !== undefined) return short;
  const code = character.charCodeAt(0);
  // A lone surrogate cannot be UTF-8; Go writes invalid UTF-8 as the replacement character.
  if (code >= 0xd800 && code <= 0xdfff) return '\\ufffd';
  return `\\u${code.toString(16).padStart(4, '0')}`;
}

/** A Go JSON string literal: `<`, `>`, `&`, U+2028, U+2029 and control characters escaped. */
export function quoteGoJsonString(text: string): string {
  return `"${text.replace(NEEDS_ESCAPE, escapeCharacter)}"`;
}

/** `json.Marshal(value)`; `undefined` (a missing value) is Go's nil, `null`. */
export function marshalGoJson(value: unknown): string {
  return encode(value, undefined, '');
}

/** `json.MarshalIndent(value, "", indent)`. @param indent @default two spaces, as toJSONPretty */
export function marshalGoJsonIndent(value: unknown, indent = '  '): string {
  return encode(value, indent, '\n');
}

/** `newline` is the line break plus the current indentation, or '' when compact. */
function encode(value: unknown, indent: string | undefined, newline: string): string {
  switch (typeof value) {
    case 'string':
      return quoteGoJsonString(value);
    case 'number':
      return formatGoJsonNumber(value);
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined':
      return 'null';
    case 'object': {
      if (value === null) return 'null';
      const inner = indent === undefined ? '' : newline + indent;
      const separator = indent === undefined ? ',' : `,${inner}`;
      if (Array.isArray(value)) {
        if (value.length === 0) return '[]';
        const items = value.map((item: unknown) => encode(item, indent, inner));
        return `[${inner}${items.join(separator)}${newline}]`;
      }
      const map = value as Record<string, unknown>;
      const keys = goSortedKeys(map);
      if (keys.length === 0) return '{}';
      const colon = indent === undefined ? ':' : ': ';
      const members = keys.map((key) => `${quoteGoJsonString(key)}${colon}${encode(map[key], indent, inner)}`);
      return `{${inner}${members.join(separator)}${newline}}`;
    }
    default:
      throw new TypeError(`cannot encode a ${typeof value} as JSON`);
  }
}
