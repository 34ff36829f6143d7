/**
 * Comparisons and boolean logic, which handlebars lacks, with Go template's names and meaning:
 * `eq a b c` is true when a equals any of the others; `and`/`or` return one of their arguments
 * (the first empty one / the first non-empty one, else the last), with Go's notion of empty:
 * false, 0, "", nothing, and empty lists and maps.
 */
import { compareGoStrings } from '../go-format/go-string-order.js';
import { TemplateRenderError } from '../template-render-error.js';
import { describeType, requireArgCount, splitHelperArgs } from './helper-args.js';
import type { Helper } from './secret-helpers.js';

export function isGoTruthy(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

type Comparable = string | number | boolean | null;

function comparable(helper: string, value: unknown): Comparable {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  throw new TemplateRenderError(`${helper}: only strings, numbers, booleans and nothing can be compared, got ${describeType(value)}`);
}

function order(helper: string, args: readonly unknown[]): number {
  const { params } = splitHelperArgs(args);
  requireArgCount(helper, params, 2);
  const [left, right] = params;
  if (typeof left === 'number' && typeof right === 'number') return left - right;
  if (typeof left === 'string' && typeof right === 'string') return compareGoStrings(left, right);
  throw new TemplateRenderError(`${helper}: expected two numbers or two strings, got ${describeType(left)} and ${describeType(right)}`);
}

function equal(helper: string, args: readonly unknown[]): boolean {
  const { params } = splitHelperArgs(args);
  if (params.length < 2) throw new TemplateRenderError(`${helper}: expected at least 2 arguments, got ${params.length}`);
  const [first, ...others] = params.map((param) => comparable(helper, param));
  return others.some((other) => other === first);
}

export function createLogicHelpers(): Record<string, Helper> {
  return {
    eq: (...args) => equal('eq', args),
    ne(...args) {
      requireArgCount('ne', splitHelperArgs(args).params, 2);
      return !equal('ne', args);
    },
    lt: (...args) => order('lt', args) < 0,
    le: (...args) => order('le', args) <= 0,
    gt: (...args) => order('gt', args) > 0,
    ge: (...args) => order('ge', args) >= 0,
    and(...args) {
      const { params } = splitHelperArgs(args);
      if (params.length === 0) throw new TemplateRenderError('and: expected at least 1 argument');
      const index = params.findIndex((param) => !isGoTruthy(param));
      return params[index < 0 ? params.length - 1 : index];
    },
    or(...args) {
      const { params } = splitHelperArgs(args);
      if (params.length === 0) throw new TemplateRenderError('or: expected at least 1 argument');
      const index = params.findIndex(isGoTruthy);
      return params[index < 0 ? params.length - 1 : index];
    },
    not(...args) {
      const { params } = splitHelperArgs(args);
      requireArgCount('not', params, 1);
      return !isGoTruthy(params[0]);
    },
  };
}
