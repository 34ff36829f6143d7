/**
 * Splits a Go text/template into text and actions, as Go's lexer does: custom delimiters,
 * quoted strings inside actions (which may contain the right delimiter), and trim markers —
 * `{{- ` removes the white space before the action, ` -}}` the white space after it.
 */

export type GoTemplateItem =
  | { kind: 'text'; text: string }
  /** `body` is the action without delimiters and trim markers; `line` is where it starts (1-based). */
  | { kind: 'action'; body: string; line: number };

export type LexResult = { ok: true; items: GoTemplateItem[] } | { ok: false; reason: string };

/** Go's trim markers trim exactly these. */
const SPACE_CHARACTERS = ' \t\r\n';

function isSpace(character: string | undefined): boolean {
  return character !== undefined && character !== '' && SPACE_CHARACTERS.includes(character);
}

function trimLeadingSpace(text: string): string {
  let start = 0;
  while (isSpace(text[start])) start++;
  return text.slice(start);
}

function trimTrailingSpace(text: string): string {
  let end = text.length;
  while (isSpace(text[end - 1])) end--;
  return text.slice(0, end);
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let position = text.indexOf('\n'); position >= 0 && position < index; position = text.indexOf('\n', position + 1)) line++;
  return line;
}

interface ActionEnd {
  /** Index where the action's body ends. */
  end: number;
  /** Index just past the right delimiter. */
  next: number;
  trimAfter: boolean;
}

/** Finds the right delimiter outside quoted strings and character constants. */
function findActionEnd(text: string, from: number, right: string): ActionEnd | undefined {
  let quote: string | undefined;
  for (let index = from; index < text.length; index++) {
    const character = text[index];
    if (quote !== undefined) {
      if (character === '\\' && quote !== '`') index++;
      else if (character === quote) quote = undefined;
      continue;
    }
    if (character === '"' || character === '`' || character === "'") {
      quote = character;
    } else if (isSpace(character) && text[index + 1] === '-' && text.startsWith(right, index + 2)) {
      return { end: index, next: index + 2 + right.length, trimAfter: true };
    } else if (text.startsWith(right, index)) {
      return { end: index, next: index + right.length, trimAfter: false };
    }
  }
  return undefined;
}

export function lexGoTemplate(text: string, left = '{{', right = '}}'): LexResult {
  const items: GoTemplateItem[] = [];
  let position = 0;
  let trimNextText = false;
  for (;;) {
    const start = text.indexOf(left, position);
    let literal = text.slice(position, start < 0 ? text.length : start);
    if (trimNextText) literal = trimLeadingSpace(literal);
    const afterLeft = start + left.length;
    const trimBefore = start >= 0 && text[afterLeft] === '-' && isSpace(text[afterLeft + 1]);
    if (trimBefore) literal = trimTrailingSpace(literal);
    if (literal !== '') items.push({ kind: 'text', text: literal });
    if (start < 0) return { ok: true, items };

    const bodyStart = trimBefore ? afterLeft + 2 : afterLeft;
    const line = lineAt(text, start);
    const end = findActionEnd(text, bodyStart, right);
    if (end === undefined) return { ok: false, reason: `line ${line}: unclosed action` };
    const body = text.slice(bodyStart, end.end);
    if (body.trimStart().startsWith('/*')) return { ok: false, reason: `line ${line}: comments are not supported yet` };
    items.push({ kind: 'action', body, line });
    position = end.next;
    trimNextText = end.trimAfter;
  }
}
