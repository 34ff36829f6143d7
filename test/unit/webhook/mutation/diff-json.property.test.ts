import jsonpatch from 'fast-json-patch';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffJson } from '../../../../webhook/mutation/diff-json.js';
import { cloneJson, isRecord } from '../../../../webhook/mutation/json-values.js';

// Keys from a small alphabet, so that members collide and `/` and `~` need RFC 6901 escaping,
// and names every object inherits.
const key = fc.oneof(
  { arbitrary: fc.string({ unit: fc.constantFrom('a', 'b', '/', '~', '0', '1', '-'), maxLength: 3 }), weight: 8 },
  { arbitrary: fc.constantFrom('constructor', 'toString', 'hasOwnProperty'), weight: 1 },
);
const { json } = fc.letrec((tie) => ({
  json: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(null, true, false, 0, 1, 'x', ''),
    fc.array(tie('json'), { maxLength: 4 }),
    fc.dictionary(key, tie('json'), { maxKeys: 4 }),
  ),
}));

interface Edit {
  target: number;
  position: number;
  key: string;
  value: unknown;
}
const edit = fc.record({ target: fc.nat(), position: fc.nat(), key, value: json });

/** Every array and object inside `value`, depth first. */
function containers(value: unknown, found: (unknown[] | Record<string, unknown>)[] = []): (unknown[] | Record<string, unknown>)[] {
  if (Array.isArray(value)) {
    found.push(value);
    for (const item of value) containers(item, found);
  } else if (isRecord(value)) {
    found.push(value);
    for (const item of Object.values(value)) containers(item, found);
  }
  return found;
}

/** Inserts into arrays and sets object members, the kinds of change our mutation makes. */
function applyEdits(document: unknown, edits: Edit[], arraysOnly: boolean): { document: unknown; insertions: number } {
  const copy = cloneJson(document);
  let insertions = 0;
  for (const e of edits) {
    const targets = containers(copy).filter((c) => !arraysOnly || Array.isArray(c));
    const target = targets[e.target % Math.max(targets.length, 1)];
    if (Array.isArray(target)) {
      target.splice(e.position % (target.length + 1), 0, cloneJson(e.value));
      insertions++;
    } else if (target !== undefined) {
      target[e.key] = cloneJson(e.value);
    }
  }
  return { document: copy, insertions };
}

function applied(document: unknown, patch: ReturnType<typeof diffJson>): unknown {
  return jsonpatch.applyPatch(cloneJson(document), patch, true, true).newDocument;
}

describe('diffJson', () => {
  it('turns a document into one with elements inserted and members set', () => {
    fc.assert(
      fc.property(json, fc.array(edit, { maxLength: 6 }), (document, edits) => {
        const { document: mutated } = applyEdits(document, edits, false);
        const before = cloneJson(document);
        expect(applied(document, diffJson(document, mutated))).toEqual(mutated);
        expect(document).toEqual(before);
      }),
      { numRuns: 3000 },
    );
  });

  it('expresses insertions into arrays in at most one operation per inserted element', () => {
    fc.assert(
      fc.property(json, fc.array(edit, { maxLength: 6 }), (document, edits) => {
        const { document: mutated, insertions } = applyEdits(document, edits, true);
        const patch = diffJson(document, mutated);
        expect(patch.length).toBeLessThanOrEqual(insertions);
        expect(applied(document, patch)).toEqual(mutated);
      }),
      { numRuns: 3000 },
    );
  });

  it('turns any document into any other', () => {
    fc.assert(
      fc.property(json, json, (a, b) => {
        expect(applied(a, diffJson(a, b))).toEqual(b);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('diffJson on pod-like documents', () => {
  it('adds a missing array in one operation', () => {
    expect(diffJson({ spec: {} }, { spec: { volumes: [{ name: 'a' }, { name: 'b' }] } })).toEqual([
      { op: 'add', path: '/spec/volumes', value: [{ name: 'a' }, { name: 'b' }] },
    ]);
  });

  it('prepends an element without touching the ones after it', () => {
    const before = { initContainers: [{ name: 'a' }, { name: 'b' }] };
    const after = { initContainers: [{ name: 'agent' }, { name: 'a' }, { name: 'b' }] };
    expect(diffJson(before, after)).toEqual([{ op: 'add', path: '/initContainers/0', value: { name: 'agent' } }]);
  });

  it('appends with /- and edits kept elements at their new index', () => {
    const before = { c: [{ name: 'a' }] };
    const after = { c: [{ name: 'x' }, { name: 'a', m: [1] }, { name: 'y' }] };
    expect(diffJson(before, after)).toEqual([
      { op: 'add', path: '/c/0', value: { name: 'x' } },
      { op: 'add', path: '/c/-', value: { name: 'y' } },
      { op: 'add', path: '/c/1/m', value: [1] },
    ]);
  });

  it('adds a member named like an inherited one', () => {
    expect(diffJson({ a: {} }, { a: { constructor: 1 } })).toEqual([{ op: 'add', path: '/a/constructor', value: 1 }]);
  });

  it('escapes / and ~ in member names (RFC 6901)', () => {
    expect(diffJson({ a: {} }, { a: { 'vault.hashicorp.com/x~y': 'v' } })).toEqual([
      { op: 'add', path: '/a/vault.hashicorp.com~1x~0y', value: 'v' },
    ]);
  });
});
