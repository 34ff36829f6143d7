/**
 * Go string literals as text/template reads them: interpreted `"…"` with Go's escapes (`\n`,
 * `\x41`, `\101`, `\u00e9`, `\U0001F600`; `\x` and octal escapes are bytes, so `"\xc3\xa9"` is é)
 * and raw `` `…` `` strings (carriage returns dropped).
 */

const SIMPLE_ESCAPES: Readonly<Record<string, number>> = {
  a: 0x07, b: 0x08, f: 0x0c, n: 0x0a, r: 0x0d, t: 0x09, v: 0x0b, '\\': 0x5c, '"': 0x22,
};

/** The string's value, or `undefined` when `literal` is not a valid Go string literal. */
export function parseGoStringLiteral(literal: string): string | undefined {
  if (literal.length >= 2 && literal.startsWith('`') && literal.endsWith('`')) {
    const body = literal.slice(1, -1);
    return body.includes('`') ? undefined : body.replaceAll('\r', '');
  }
  if (literal.length < 2 || !literal.startsWith('"') || !literal.endsWith('"')) return undefined;
  return decodeInterpreted(literal.slice(1, -1));
}

/** Text with no escape, quote or newline and no surrogate (most literals are plain Vault paths): its own value. */
const PLAIN = /^[^"\\\n\uD800-\uDFFF]*$/;

function decodeInterpreted(body: string): string | undefined {
  if (PLAIN.test(body)) return body;
  const bytes: number[] = [];
  for (let index = 0; index < body.length; ) {
    const codePoint = body.codePointAt(index) ?? 0;
    const character = String.fromCodePoint(codePoint);
    if (character === '"' || character === '\n') return undefined;
    if (character !== '\\') {
      bytes.push(...Buffer.from(character, 'utf8'));
      index += character.length;
      continue;
    }
    const escape = decodeEscape(body, index + 1);
    if (escape === undefined) return undefined;
    bytes.push(...escape.bytes);
    index = escape.next;
  }
  return Buffer.from(bytes).toString('utf8');
}

function decodeEscape(body: string, at: number): { bytes: number[]; next: number } | undefined {
  const kind = body[at];
  if (kind === undefined) return undefined;
  const simple = SIMPLE_ESCAPES[kind];
  if (simple !== undefined) return { bytes: [simple], next: at + 1 };
  const hexDigits = kind === 'x' ? 2 : kind === 'u' ? 4 : kind === 'U' ? 8 : 0;
  if (hexDigits > 0) {
    const digits = body.slice(at + 1, at + 1 + hexDigits);
    if (!new RegExp(`^[0-9A-Fa-f]{${hexDigits}}$`).test(digits)) return undefined;
    const value = Number.parseInt(digits, 16);
    if (kind === 'x') return { bytes: [value], next: at + 1 + hexDigits };
    if (value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff)) return undefined;
    return { bytes: [...Buffer.from(String.fromCodePoint(value), 'utf8')], next: at + 1 + hexDigits };
  }
  const octal = body.slice(at, at + 3);
  if (/^[0-7]{3}$/.test(octal)) {
    const value = Number.parseInt(octal, 8);
    return value > 0xff ? undefined : { bytes: [value], next: at + 3 };
  }
  return undefined;
}
