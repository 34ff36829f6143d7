/**
 * String helpers with consul-template's names and argument order (the value comes last, so
 * Go pipelines read the same as a call): `split ","  s`, `join "," list`,
 * `replaceAll "from" "to" s`, `contains needle haystack`, `printf "%s:%d" a b`.
 */
import { formatGoJsonNumber } from '../go-format/go-json-number.js';
import { formatGoPrintf } from '../go-format/format-go-printf.js';
import { TemplateRenderError } from '../template-render-error.js';
import { describeType, requireArgCount, requireString, splitHelperArgs } from './helper-args.js';
import type { Helper } from './secret-helpers.js';

/** Go's unicode.IsSpace set (JavaScript's `\s` adds U+FEFF and lacks U+0085). */
const GO_SPACE = '[\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
const GO_TRIM_SPACE = new RegExp(`^${GO_SPACE}+|${GO_SPACE}+$`, 'g');

function goTrimSpace(text: string): string {
  return text.replace(GO_TRIM_SPACE, '');
}

function strings(helper: string, args: readonly unknown[], count: number): string[] {
  const { params } = splitHelperArgs(args);
  requireArgCount(helper, params, count);
  return params.map((param, index) => requireString(helper, param, index + 1));
}

/** Go's strings.Split / strings.Replace treat an empty separator as "between every character". */
function characters(text: string): string[] {
  return Array.from(text);
}

function joinItem(item: unknown): string {
  if (typeof item === 'string') return item;
  if (typeof item === 'number') return formatGoJsonNumber(item);
  if (typeof item === 'boolean') return String(item);
  throw new TemplateRenderError(`join: list items must be strings, numbers or booleans, got ${describeType(item)}`);
}

export function createStringHelpers(): Record<string, Helper> {
  return {
    split(...args) {
      const [separator = '', value = ''] = strings('split', args, 2);
      const trimmed = goTrimSpace(value);
      if (trimmed === '') return [];
      return separator === '' ? characters(trimmed) : trimmed.split(separator);
    },
    join(...args) {
      const { params } = splitHelperArgs(args);
      requireArgCount('join', params, 2);
      const separator = requireString('join', params[0], 1);
      const list = params[1];
      if (!Array.isArray(list)) throw new TemplateRenderError(`join: argument 2 must be a list, got ${describeType(list)}`);
      return list.map(joinItem).join(separator);
    },
    trimSpace: (...args) => goTrimSpace(strings('trimSpace', args, 1)[0] ?? ''),
    toLower: (...args) => (strings('toLower', args, 1)[0] ?? '').toLowerCase(),
    toUpper: (...args) => (strings('toUpper', args, 1)[0] ?? '').toUpperCase(),
    replaceAll(...args) {
      const [from = '', to = '', value = ''] = strings('replaceAll', args, 3);
      if (from === '') return `${to}${characters(value).join(to)}${value === '' ? '' : to}`;
      return value.replaceAll(from, () => to);
    },
    contains(...args) {
      const { params } = splitHelperArgs(args);
      requireArgCount('contains', params, 2);
      const [needle, haystack] = params;
      if (Array.isArray(haystack)) return haystack.some((item) => item === needle);
      return typeof haystack === 'string' && typeof needle === 'string' && haystack.includes(needle);
    },
    printf(...args) {
      const { params } = splitHelperArgs(args);
      const format = requireString('printf', params[0], 1);
      try {
        return formatGoPrintf(format, params.slice(1));
      } catch (error) {
        if (error instanceof RangeError || error instanceof TypeError) throw new TemplateRenderError(`printf: ${error.message}`);
        throw error;
      }
    },
  };
}
