/**
 * The JSON Patch between the pod as received and the mutated copy.
 *
 * `jsonpatch.compare` diffs arrays index by index: putting `vault-agent-init` first would
 * rewrite every existing init container field by field. Our mutation only inserts array
 * elements, edits kept ones (appending mounts) and sets a few members, so arrays that did not
 * shrink are aligned as insertions (`align-insertions.ts`) and get one `add` per new element
 * (`/-` when it lands at the end) plus the edits inside kept elements. A member that did not
 * exist becomes one `add` with its whole value, so `add /spec/volumes [...]` is never followed
 * by a second `add` that would replace it (the vault-k8s bug). Arrays that shrank fall back to
 * `jsonpatch.compare`.
 *
 * Operation values are `after`'s own objects, not copies (copying is the costliest part of a
 * request): serialize the patch or treat it as read-only.
 */
import jsonpatch from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import { alignInsertions, type Alignment } from './align-insertions.js';
import { isDeepEqual, isRecord } from './json-values.js';

export function diffJson(before: unknown, after: unknown): Operation[] {
  const ops: Operation[] = [];
  diffValue(before, after, '', ops);
  return ops;
}

/** RFC 6901: `~` becomes `~0`, `/` becomes `~1`. */
export function escapePointerToken(token: string): string {
  if (!token.includes('~') && !token.includes('/')) return token;
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

function diffValue(before: unknown, after: unknown, path: string, ops: Operation[]): void {
  if (before === after) return;
  if (Array.isArray(before) && Array.isArray(after)) diffArray(before, after, path, ops);
  else if (isRecord(before) && isRecord(after)) diffObject(before, after, path, ops);
  else if (!isDeepEqual(before, after)) ops.push({ op: 'replace', path, value: after });
}

function diffObject(before: Record<string, unknown>, after: Record<string, unknown>, path: string, ops: Operation[]): void {
  for (const key of Object.keys(before)) {
    if (before[key] !== undefined && ownValue(after, key) === undefined) {
      ops.push({ op: 'remove', path: `${path}/${escapePointerToken(key)}` });
    }
  }
  for (const key of Object.keys(after)) {
    const value = after[key];
    const previous = ownValue(before, key);
    // Most members are unchanged; skip them before building a path.
    if (value === undefined || value === previous) continue;
    const memberPath = `${path}/${escapePointerToken(key)}`;
    if (previous === undefined) ops.push({ op: 'add', path: memberPath, value });
    else diffValue(previous, value, memberPath, ops);
  }
}

/** `object[key]` if it is the object's own member (not `constructor` from the prototype). */
function ownValue(object: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

function diffArray(before: unknown[], after: unknown[], path: string, ops: Operation[]): void {
  if (after.length < before.length) {
    for (const op of jsonpatch.compare(before, after)) ops.push(prefixed(op, path));
    return;
  }
  if (after.length === before.length) {
    before.forEach((item, i) => diffValue(item, after[i], `${path}/${i}`, ops));
    return;
  }
  const appended = appendedOnly(before, after);
  if (appended || prependedOnly(before, after)) {
    // The mutation shares untouched elements with the original: identity shows where they went.
    const start = appended ? before.length : 0;
    let length = before.length;
    for (let j = start; j < start + after.length - before.length; j++) {
      ops.push({ op: 'add', path: j === length ? `${path}/-` : `${path}/${j}`, value: after[j] });
      length++;
    }
    return;
  }
  // Each pair's edits are computed once, for its cost, and reused if the pair is kept.
  const edits = new Map<string, Operation[]>();
  const editsOf = (i: number, j: number): Operation[] => {
    const key = `${i}:${j}`;
    let found = edits.get(key);
    if (!found) {
      found = [];
      diffValue(before[i], after[j], '', found);
      edits.set(key, found);
    }
    return found;
  };
  const alignment = alignByName(before, after) ?? alignInsertions(before.length, after.length, (i, j) => editCost(before[i], after[j], editsOf(i, j)));
  let length = before.length;
  // Inserting in ascending final position puts every element where it ends up.
  for (const j of alignment.inserted) {
    ops.push({ op: 'add', path: j === length ? `${path}/-` : `${path}/${j}`, value: after[j] });
    length++;
  }
  for (const [i, j] of alignment.kept) {
    for (const op of editsOf(i, j)) ops.push(prefixed(op, `${path}/${j}`));
  }
}

/**
 * Kubernetes identifies the elements of its lists by `name` (containers, volumes, env vars, mounts
 * by name and path, but ours are named): when every element of both lists has a name, no name
 * repeats, and the old names appear in the new list in the same order, each old element is the
 * new one of the same name. This is the alignment the cost search would find (pairing different
 * names costs more than any edit our mutation makes), found without comparing every pair.
 */
function alignByName(before: readonly unknown[], after: readonly unknown[]): Alignment | undefined {
  const afterIndex = new Map<string, number>();
  for (let j = 0; j < after.length; j++) {
    const name = nameOf(after[j]);
    if (name === undefined || afterIndex.has(name)) return undefined;
    afterIndex.set(name, j);
  }
  const kept: [number, number][] = [];
  const keptAfter = new Set<number>();
  for (let i = 0; i < before.length; i++) {
    const name = nameOf(before[i]);
    const j = name === undefined ? undefined : afterIndex.get(name);
    // Unnamed, gone, or out of order (a repeated old name lands on an index already passed).
    if (j === undefined || (kept.length > 0 && j <= kept[kept.length - 1]![1])) return undefined;
    kept.push([i, j]);
    keptAfter.add(j);
  }
  const inserted: number[] = [];
  for (let j = 0; j < after.length; j++) if (!keptAfter.has(j)) inserted.push(j);
  return { inserted, kept };
}

function nameOf(element: unknown): string | undefined {
  return isRecord(element) && typeof element['name'] === 'string' ? element['name'] : undefined;
}

/** `after` is `before` with elements added at the end, the others the very same objects. */
function appendedOnly(before: readonly unknown[], after: readonly unknown[]): boolean {
  return before.every((item, i) => item === after[i]);
}

/** `after` is `before` with elements added at the front, the others the very same objects. */
function prependedOnly(before: readonly unknown[], after: readonly unknown[]): boolean {
  const offset = after.length - before.length;
  return before.length > 0 && before.every((item, i) => item === after[i + offset]);
}

/**
 * How far apart two elements are: their diff's operations, an `add` weighing 1 and anything
 * else 2 (a replace is a remove plus an add), so edits that look like our appends win ties.
 * Elements of Kubernetes lists are identified by `name` (containers, volumes, env vars), so
 * two with different names are only paired when nothing else fits.
 */
function editCost(before: unknown, after: unknown, edits: readonly Operation[]): number {
  const renamed = isRecord(before) && isRecord(after) && typeof before['name'] === 'string' && before['name'] !== after['name'];
  return edits.reduce((sum, op) => sum + (op.op === 'add' ? 1 : 2), renamed ? RENAMED_COST : 0);
}

const RENAMED_COST = 1000;

function prefixed(op: Operation, path: string): Operation {
  const moved = { ...op, path: path + op.path };
  if ('from' in moved && typeof moved.from === 'string') moved.from = path + moved.from;
  return moved as Operation;
}
