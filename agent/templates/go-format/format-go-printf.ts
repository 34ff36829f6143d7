/**
 * A small `fmt.Sprintf` for templates: `%v` (Go's default format, see formatGoValue), `%s`
 * (the same for data from Vault, whose numbers are `json.Number` strings in Go), `%d` (an
 * integer, or a string of digits) and `%%`. Flags, widths and other verbs are refused rather
 * than printed differently from Go. Errors are `RangeError`s whose messages name no value.
 */
import { formatGoValue } from './format-go-value.js';

const VERB = /%(.?)/gs;

function formatInteger(value: unknown, position: number): string {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return value;
  throw new RangeError(`%d needs an integer, argument ${position} is not one`);
}

export function formatGoPrintf(format: string, args: readonly unknown[]): string {
  let next = 0;
  const take = (): { value: unknown; position: number } => {
    if (next >= args.length) throw new RangeError(`the format has more verbs than the ${args.length} argument(s) given`);
    return { value: args[next], position: ++next };
  };
  const text = format.replace(VERB, (_, verb: string) => {
    switch (verb) {
      case '%':
        return '%';
      case 'v':
      case 's':
        return formatGoValue(take().value);
      case 'd': {
        const { value, position } = take();
        return formatInteger(value, position);
      }
      default:
        throw new RangeError(`only %v, %s, %d and %% are supported${verb === '' ? ' (the format ends with %)' : ''}`);
    }
  });
  if (next < args.length) throw new RangeError(`${args.length - next} argument(s) left over: the format has fewer verbs`);
  return text;
}
