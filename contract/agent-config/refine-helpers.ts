import { isJsonObject as isRecord } from '../json-object.js';
import { posix } from 'node:path';

/**
 * Helpers for checks that span several fields. zod skips a check once anything in its object
 * failed; these checks instead run (through zod's `when`) as soon as the fields they read have
 * parsed, so one parse reports every problem, while fields that did not parse stay out of them.
 */

/** True for plain objects; `when` hooks see values that may not have parsed. */
export { isRecord };

/** The part of a zod parse payload that `when` hooks and rules read. */
export interface IssueList {
  readonly issues: readonly { readonly path?: readonly PropertyKey[] | undefined }[];
}

/** The part of zod's refinement context that checks use to report. */
export interface RefinementContext extends IssueList {
  addIssue(issue: { code: 'custom'; path: PropertyKey[]; message: string }): void;
}

/** True when no issue has been reported at or under `prefix` (e.g. `[2, 'destination']`). */
export function pathParsed(payload: IssueList, prefix: readonly PropertyKey[]): boolean {
  return !payload.issues.some((issue) => {
    const path = issue.path ?? [];
    return path.length >= prefix.length && prefix.every((key, index) => path[index] === key);
  });
}

/** True when none of `keys` of the object being checked has an issue. */
export function fieldsParsed(payload: IssueList, ...keys: readonly PropertyKey[]): boolean {
  return keys.every((key) => pathParsed(payload, [key]));
}

/** A `when` hook: run the check if the value is an object whose `keys` all parsed. */
export function whenParsed(...keys: readonly PropertyKey[]) {
  return (payload: IssueList & { readonly value: unknown }): boolean =>
    isRecord(payload.value) && fieldsParsed(payload, ...keys);
}

/** `item[key]` when it is a string that parsed without issues at `[...at, key]`, else undefined. */
export function parsedString(payload: IssueList, item: unknown, at: readonly PropertyKey[], key: string): string | undefined {
  if (!isRecord(item)) return undefined;
  const value = item[key];
  return typeof value === 'string' && pathParsed(payload, [...at, key]) ? value : undefined;
}

/**
 * Like {@link parsedString} for a path, normalized (`/a//b/./c` → `/a/b/c`) so that two
 * spellings of one file compare equal.
 */
export function parsedPath(payload: IssueList, item: unknown, at: readonly PropertyKey[], key: string): string | undefined {
  const path = parsedString(payload, item, at, key);
  return path === undefined ? undefined : posix.normalize(path);
}

/** Calls `report(index, firstIndex)` for every item whose key an earlier item already had. */
export function forEachDuplicate<T>(
  items: readonly T[],
  keyOf: (item: T, index: number) => string | undefined,
  report: (index: number, firstIndex: number) => void,
): void {
  const firstByKey = new Map<string, number>();
  items.forEach((item, index) => {
    const key = keyOf(item, index);
    if (key === undefined) return;
    const first = firstByKey.get(key);
    if (first === undefined) firstByKey.set(key, index);
    else report(index, first);
  });
}

/**
 * A `superRefine` (spread its result into the call) requiring two optional fields to be set
 * together, such as a client certificate and its key; the error is on the missing one.
 */
export function bothOrNeither<A extends string, B extends string>(first: A, second: B) {
  const check = (value: Partial<Record<A | B, unknown>>, ctx: RefinementContext): void => {
    if ((value[first] === undefined) === (value[second] === undefined)) return;
    const missing = value[first] === undefined ? first : second;
    ctx.addIssue({ code: 'custom', path: [missing], message: `${first} and ${second} go together: set both or neither` });
  };
  return [check, { when: whenParsed(first, second) }] as const;
}

/**
 * A `superRefine` (spread its result into the call) requiring `low` not to exceed `high`, such
 * as a first backoff and its cap; the error is on `low` and names both values.
 */
export function notAbove<L extends string, H extends string>(low: L, high: H) {
  const check = (value: Record<L | H, number>, ctx: RefinementContext): void => {
    if (value[low] <= value[high]) return;
    ctx.addIssue({ code: 'custom', path: [low], message: `${low} (${value[low]}) must not exceed ${high} (${value[high]})` });
  };
  return [check, { when: whenParsed(low, high) }] as const;
}
