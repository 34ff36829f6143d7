import type { z } from 'zod';
import { closestKey } from './closest-key.js';
import type { AgentConfig } from './schema.js';

/** One problem in a config: where (`templates[2].destination`) and what was expected. */
export interface AgentConfigError {
  readonly path: string;
  readonly message: string;
}

/** The result of parsing or decoding a config: the config, or every problem found. */
export type AgentConfigResult =
  | { readonly ok: true; readonly config: AgentConfig }
  | { readonly ok: false; readonly errors: readonly AgentConfigError[] };

/** The path of problems with the value as a whole (not an object, not decodable). */
export const ROOT_PATH = '(root)';

/** Issue codes that mean "missing" when the input was undefined. */
const ABSENT_CODES: ReadonlySet<string> = new Set(['invalid_type', 'invalid_value']);

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `['templates', 2, 'destination']` → `templates[2].destination`; odd keys are quoted: `auth.extra["a-b"]`. */
export function formatConfigPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else if (typeof key === 'string' && IDENTIFIER.test(key)) text += text === '' ? key : `.${key}`;
    else text += `[${JSON.stringify(String(key))}]`;
  }
  return text === '' ? ROOT_PATH : text;
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * Collects what zod knows only while it raises an issue: the keys allowed where an unknown key
 * was found. Keyed by the issue's `keys` array, which zod copies by reference into the final issue.
 */
export class IssueDetails {
  private readonly allowedKeys = new WeakMap<readonly string[], readonly string[]>();

  /** A per-parse zod error map: records allowed keys, and fills messages for untyped issues. */
  readonly errorMap = (issue: z.core.$ZodRawIssue): string | undefined => {
    if (issue.code === 'unrecognized_keys') {
      const def: unknown = issue.inst?._zod.def;
      const shape = def !== null && typeof def === 'object' && 'shape' in def ? def.shape : undefined;
      if (shape !== null && typeof shape === 'object') this.allowedKeys.set(issue.keys, Object.keys(shape));
      return 'unknown key';
    }
    if (issue.code === 'invalid_type') {
      // An absent value gets "required: " in front when the issues become errors.
      if (issue.input === undefined) return `expected ${issue.expected}`;
      return `expected ${issue.expected}, got ${describeType(issue.input)}`;
    }
    return undefined;
  };

  /**
   * Turns zod's issues into config errors: one per unknown key, `required` for absent values.
   * Needs issues parsed with `reportInput` to tell absent from wrong; the inputs themselves are
   * dropped here and never reach a message.
   */
  toErrors(issues: readonly z.core.$ZodIssue[]): AgentConfigError[] {
    return issues.flatMap((issue): AgentConfigError[] => {
      if (issue.code === 'unrecognized_keys') {
        const allowed = this.allowedKeys.get(issue.keys) ?? [];
        return issue.keys.map((key) => ({
          path: formatConfigPath([...issue.path, key]),
          message: unknownKeyMessage(key, allowed),
        }));
      }
      const absent = ABSENT_CODES.has(issue.code) && 'input' in issue && issue.input === undefined;
      return [{ path: formatConfigPath(issue.path), message: absent ? `required: ${issue.message}` : issue.message }];
    });
  }
}

function unknownKeyMessage(key: string, allowed: readonly string[]): string {
  const suggestion = closestKey(key, allowed);
  if (suggestion !== undefined) return `unknown key; did you mean "${suggestion}"?`;
  if (allowed.length === 0) return 'unknown key';
  return `unknown key; expected one of: ${allowed.join(', ')}`;
}
