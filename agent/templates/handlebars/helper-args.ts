/**
 * Handlebars calls a helper with the template's arguments followed by an options object; these
 * split the two and check argument types with errors that name the helper and the type, never
 * the value.
 */
import { TemplateRenderError } from '../template-render-error.js';

/** The part of handlebars' options object the helpers use. */
export interface HelperOptions {
  hash: Record<string, unknown>;
  /** Present when the helper is used as a block (`{{#secret "p"}}…{{/secret}}`). */
  fn?: (context: unknown) => string;
  inverse?: (context: unknown) => string;
}

export function splitHelperArgs(args: readonly unknown[]): { params: unknown[]; options: HelperOptions } {
  const options = args.at(-1) as HelperOptions;
  return { params: args.slice(0, -1), options };
}

/** A type name for error messages ("a number", "a map"), never the value. */
export function describeType(value: unknown): string {
  if (value === undefined) return 'nothing (a missing key?)';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  return `a ${typeof value}`;
}

export function requireString(helper: string, value: unknown, position: number): string {
  if (typeof value === 'string') return value;
  throw new TemplateRenderError(`${helper}: argument ${position} must be a string, got ${describeType(value)}`);
}

export function requireArgCount(helper: string, params: readonly unknown[], count: number): void {
  if (params.length !== count) {
    throw new TemplateRenderError(`${helper}: expected ${count} argument${count === 1 ? '' : 's'}, got ${params.length}`);
  }
}
