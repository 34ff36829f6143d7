/**
 * `agent-json-patch` / `agent-init-json-patch`: an RFC 6902 patch the user applies to the
 * generated container, the escape hatch for anything without an annotation. The parser checked
 * the operations' shapes; whether they apply is only known here, against the container.
 */
import jsonpatch from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import type { JsonObject } from './k8s-shapes.js';
import { cloneJson, isRecord } from './json-values.js';
import type { MutationReport } from './mutation-problems.js';

/** Why fast-json-patch refused an operation, in words (its own messages include the values). */
const REASONS: Record<string, string> = {
  OPERATION_PATH_UNRESOLVABLE: 'its path does not exist in the container',
  OPERATION_FROM_UNRESOLVABLE: 'its "from" path does not exist in the container',
  OPERATION_PATH_CANNOT_ADD: 'its path cannot be added to (the parent does not exist)',
  OPERATION_PATH_ILLEGAL_ARRAY_INDEX: 'its path has an invalid array index',
  OPERATION_VALUE_OUT_OF_BOUNDS: 'its array index is past the end of the array',
  TEST_OPERATION_FAILED: 'the "test" found a different value',
  OPERATION_PATH_INVALID: 'its path is not a JSON pointer',
  OPERATION_VALUE_REQUIRED: 'it has no value',
  OPERATION_FROM_REQUIRED: 'it has no "from"',
  OPERATION_OP_INVALID: 'its op is not an RFC 6902 operation',
  OPERATION_NOT_AN_OBJECT: 'it is not an object',
  OPERATION_VALUE_CANNOT_CONTAIN_UNDEFINED: 'its value contains undefined',
};

/** The patched container, or `undefined` after reporting why the patch does not apply. */
export function patchContainer(
  container: JsonObject,
  ops: readonly Operation[] | undefined,
  key: string,
  report: MutationReport,
): JsonObject | undefined {
  if (!ops || ops.length === 0) return container;
  const patch = cloneJson(ops as Operation[]);
  let error: unknown;
  try {
    error = jsonpatch.validate(patch, container);
    if (!error) {
      const result: unknown = jsonpatch.applyPatch(cloneJson(container), patch, false, true).newDocument;
      if (isRecord(result) && typeof result['name'] === 'string' && result['name'] !== '') return result;
      report.problem('leaves the container without a name', key);
      return undefined;
    }
  } catch (thrown) {
    error = thrown;
  }
  report.problem(describe(error, patch), key);
  return undefined;
}

function describe(error: unknown, patch: Operation[]): string {
  const name = isRecord(error) && typeof error['name'] === 'string' ? error['name'] : '';
  const index = isRecord(error) && typeof error['index'] === 'number' ? error['index'] : undefined;
  const reason = REASONS[name] ?? 'it cannot be applied';
  if (index === undefined) return `does not apply to the generated container: ${reason}`;
  const op = patch[index];
  const what = isRecord(op) && typeof op['op'] === 'string' && typeof op['path'] === 'string' ? ` (${op['op']} ${op['path']})` : '';
  return `operation ${index}${what} does not apply to the generated container: ${reason}`;
}
