/**
 * Turns what handlebars throws into reasons that are safe to log. Its messages can carry data:
 * strict mode's "\"x\" not defined in <the object>" stringifies the object, a lookup on a string
 * throws "Cannot use 'in' operator to search for 'x' in <the string>", and parse errors quote
 * the template. So no message is passed on as it is: a reason is rebuilt from the key's name and
 * position, which come from the template, never from data.
 */
import Handlebars from 'handlebars';

interface Located {
  lineNumber?: number;
  column?: number;
  endLineNumber?: number;
  endColumn?: number;
}

function position(error: Located): string {
  return error.lineNumber === undefined ? '' : ` (line ${error.lineNumber}, column ${(error.column ?? 0) + 1})`;
}

/** The path expression's own text (`Data.data.pasword`), cut from the template at the error's location. */
function pathAt(text: string, error: Located): string | undefined {
  const { lineNumber, column, endLineNumber, endColumn } = error;
  if (lineNumber === undefined || column === undefined || endColumn === undefined || endLineNumber !== lineNumber) return undefined;
  const line = text.split('\n')[lineNumber - 1];
  const path = line?.slice(column, endColumn);
  return path !== undefined && /^[^\s{}]+$/.test(path) ? path : undefined;
}

const NOT_DEFINED = '" not defined in ';
const READING_MISSING = /^Cannot read properties of (?:undefined|null) \(reading '([^']*)'\)$/;
const IN_ON_PRIMITIVE = /^Cannot use 'in' operator to search for '([^']*)' in /;

/** A render error as a reason naming keys and positions, never data. */
export function describeHandlebarsError(error: unknown, text: string): string {
  if (error instanceof Handlebars.Exception) {
    const located = error as unknown as Located & { message: string };
    const cut = located.message.indexOf(NOT_DEFINED);
    if (located.message.startsWith('"') && cut > 0) {
      const key = pathAt(text, located) ?? located.message.slice(1, cut);
      return `missing key ${key}${position(located)} (errorOnMissingKey is on)`;
    }
    // The remaining handlebars runtime errors are fixed texts with helper names ("#with requires exactly one argument").
    return `${located.message.replace(/ - \d+:\d+$/, '')}${position(located)}`;
  }
  if (error instanceof TypeError) {
    const missing = READING_MISSING.exec(error.message)?.[1];
    if (missing !== undefined) return `missing key: ${missing} was looked up on a value that does not exist (errorOnMissingKey is on)`;
    const primitive = IN_ON_PRIMITIVE.exec(error.message)?.[1];
    if (primitive !== undefined) return `missing key: ${primitive} was looked up on a value that is not a map (errorOnMissingKey is on)`;
  }
  return `the template failed to render (${error instanceof Error ? error.name : typeof error})`;
}

/** A parse error as a reason with its line and the expected tokens, without the quoted template excerpt. */
export function describeHandlebarsParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  const lines = message.split('\n');
  const first = lines[0] ?? '';
  if (first.startsWith('Parse error on line ')) {
    const expecting = lines.at(-1) ?? '';
    return `${first.replace(/:$/, '')}: ${expecting.startsWith('Expecting') ? expecting : 'unexpected input'}`;
  }
  if (first.startsWith('Lexical error on line ')) return first;
  // Block mismatches ("with doesn't match each") name the blocks; the position comes from the error.
  if (error instanceof Handlebars.Exception) return `${first.replace(/ - \d+:\d+$/, '')}${position(error as unknown as Located)}`;
  return `the template cannot be parsed (${error instanceof Error ? error.name : typeof error})`;
}
