/**
 * Parses handlebars templates at admission time, so a template that cannot compile denies the
 * pod with its position instead of failing later inside the agent.
 */
import Handlebars from 'handlebars';
import type { TemplateChecker, TemplateSyntaxError } from './template-syntax-error.js';

interface JisonErrorHash {
  token?: string;
  expected?: string[];
  loc?: { first_line: number; first_column: number };
}

class HandlebarsParseError extends Error {
  constructor(readonly hash: JisonErrorHash) {
    super('handlebars parse error');
  }
}

/**
 * Handlebars' generated parser throws a plain Error whose message embeds an excerpt of the
 * template; its structured position only reaches `parser.parseError`. Parsing is synchronous,
 * so swapping that hook for the duration of one parse cannot affect anyone else.
 */
function parseOrThrowStructured(text: string): void {
  const parser = (Handlebars as unknown as { Parser: { parseError: (message: string, hash: JisonErrorHash) => never } })
    .Parser;
  const original = parser.parseError;
  parser.parseError = (_message, hash) => {
    throw new HandlebarsParseError(hash);
  };
  try {
    Handlebars.parse(text);
  } finally {
    parser.parseError = original;
  }
}

function toSyntaxError(error: unknown): TemplateSyntaxError {
  if (error instanceof HandlebarsParseError) {
    const expected = (error.hash.expected ?? []).map((token) => token.replaceAll("'", '')).join(', ');
    return {
      line: error.hash.loc?.first_line ?? 1,
      column: (error.hash.loc?.first_column ?? 0) + 1,
      reason: `unexpected ${describeToken(error.hash.token)}${expected ? `; expected one of ${expected}` : ''}`,
    };
  }
  // Block mismatches ("with doesn't match each - 1:3") come as Handlebars.Exception with a position.
  const exception = error as { lineNumber?: number; column?: number; message?: string };
  const reason = (exception.message ?? 'invalid template').replace(/ - \d+:\d+$/, '');
  return { line: exception.lineNumber ?? 1, column: (exception.column ?? 0) + 1, reason };
}

function describeToken(token: string | undefined): string {
  switch (token) {
    case 'SEP':
      return '"." or "/"';
    case 'INVALID':
      return 'character';
    case 'EOF':
      return 'end of template';
    case undefined:
      return 'input';
    default:
      return token.toLowerCase().replaceAll('_', ' ');
  }
}

export const handlebarsChecker: TemplateChecker = {
  check(text) {
    try {
      parseOrThrowStructured(text);
      return undefined;
    } catch (error) {
      return toSyntaxError(error);
    }
  },
};
