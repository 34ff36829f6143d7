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
 */
import jsonpatch from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import { alignInsertions } from './align-insertions.js';
import { cloneJson, definedKeys, isDeepEqual, isRecord } from './json-values.js';

export function diffJson(before: unknown, after: unknown): Operation[] {
  const ops: Operation[] = [];
  diffValue(before, after, '', ops);
  return ops;
}

/** RFC 6901: `~` becomes `~0`, `/` becomes `~1`. */
export function escapePointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

function diffValue(before: unknown, after: unknown, path: string, ops: Operation[]): void {
  if (isDeepEqual(before, after)) return;
  if (Array.isArray(before) && Array.isArray(after)) diffArray(before, after, path, ops);
  else if (isRecord(before) && isRecord(after)) diffObject(before, after, path, ops);
  else ops.push({ op: 'replace', path, value: cloneJson(after) });
}

function diffObject(before: Record<string, unknown>, after: Record<string, unknown>, path: string, ops: Operation[]): void {
  const afterKeys = definedKeys(after);
  const kept = new Set(afterKeys);
  for (const key of definedKeys(before)) {
    if (!kept.has(key)) ops.push({ op: 'remove', path: `${path}/${escapePointerToken(key)}` });
  }
  for (const key of afterKeys) {
    const memberPath = `${path}/${escapePointerToken(key)}`;
    if (before[key] === undefined) ops.push({ op: 'add', path: memberPath, value: cloneJson(after[key]) });
    else diffValue(before[key], after[key], memberPath, ops);
  }
}

function diffArray(before: unknown[], after: unknown[], path: string, ops: Operation[]): void {
  if (after.length < before.length) {
    for (const op of jsonpatch.compare(before, after)) ops.push(prefixed(op, path));
    return;
  }
  const alignment = alignInsertions(before.length, after.length, (i, j) => editCost(before[i], after[j]));
  let length = before.length;
  // Inserting in ascending final position puts every element where it ends up.
  for (const j of alignment.inserted) {
    ops.push({ op: 'add', path: j === length ? `${path}/-` : `${path}/${j}`, value: cloneJson(after[j]) });
    length++;
  }
  for (const [i, j] of alignment.kept) diffValue(before[i], after[j], `${path}/${j}`, ops);
}

/**
 * How far apart two elements are: their diff's operations, an `add` weighing 1 and anything
 * else 2 (a replace is a remove plus an add), so edits that look like our appends win ties.
 * Elements of Kubernetes lists are identified by `name` (containers, volumes, env vars), so
 * two with different names are only paired when nothing else fits.
 */
function editCost(before: unknown, after: unknown): number {
  if (isDeepEqual(before, after)) return 0;
  const ops: Operation[] = [];
  diffValue(before, after, '', ops);
  const renamed = isRecord(before) && isRecord(after) && typeof before['name'] === 'string' && before['name'] !== after['name'];
  return ops.reduce((sum, op) => sum + (op.op === 'add' ? 1 : 2), renamed ? RENAMED_COST : 0);
}

const RENAMED_COST = 1000;

function prefixed(op: Operation, path: string): Operation {
  const moved = { ...op, path: path + op.path };
  if ('from' in moved && typeof moved.from === 'string') moved.from = path + moved.from;
  return moved as Operation;
}
