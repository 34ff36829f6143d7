import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catalogEntries, familyPrefix, parseAnnotations } from '../../../contract/annotations/index.js';
import { PREFIX } from '../../builders/annotations.js';

/** Keys a user could write: catalog keys, family keys with odd names, and near-misses. */
const keyArb = fc.oneof(
  fc.constantFrom(...catalogEntries.filter((e) => e.form === 'plain').map((e) => e.key)),
  fc.tuple(fc.constantFrom(...catalogEntries.filter((e) => e.form !== 'plain').map((e) => familyPrefix(e))), fc.string({ maxLength: 12 })).map(([p, n]) => p + n),
  fc.string({ maxLength: 20 }),
);

const valueArb = fc.oneof(
  fc.constantFrom('', 'true', 'false', 'yes', '0', '-1', '5s', '1h', '250m', '64Mi', '0600', '..', '/', '[]', 'null', '{'),
  fc.string({ maxLength: 30 }),
  fc.json(),
);

describe('parseAnnotations on arbitrary input', () => {
  it('never throws, and every problem names a prefixed key and carries a message', () => {
    fc.assert(
      fc.property(fc.dictionary(keyArb, valueArb, { maxKeys: 25 }), fc.boolean(), (short, optIn) => {
        const input: Record<string, unknown> = Object.fromEntries(Object.entries(short).map(([k, v]) => [PREFIX + k, v]));
        if (optIn) input[`${PREFIX}agent-inject`] = 'true';
        const outcome = parseAnnotations(input);
        const problems = [...outcome.warnings, ...(outcome.ok ? [] : outcome.errors)];
        for (const problem of problems) {
          expect(problem.key.startsWith(PREFIX)).toBe(true);
          expect(problem.message.length).toBeGreaterThan(0);
        }
        if (outcome.ok) {
          const names = outcome.spec.secrets.map((s) => s.name);
          expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
          const destinations = outcome.spec.secrets.map((s) => s.destination);
          expect(new Set(destinations).size).toBe(destinations.length);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('is deterministic: the same annotations in any order give the same result', () => {
    fc.assert(
      fc.property(fc.dictionary(keyArb, fc.string({ maxLength: 10 }), { maxKeys: 15 }), (short) => {
        const entries = Object.entries(short).map(([k, v]) => [PREFIX + k, v] as const);
        const forward = parseAnnotations(Object.fromEntries(entries));
        const backward = parseAnnotations(Object.fromEntries([...entries].reverse()));
        expect(backward).toEqual(forward);
      }),
      { numRuns: 500 },
    );
  });
});
