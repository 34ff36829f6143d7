import { describe, expect, it } from 'vitest';
import { cachedChecker } from '../../../../webhook/templates/check-cache.js';
import type { TemplateChecker } from '../../../../webhook/templates/template-syntax-error.js';

const db = { name: 'db', leftDelimiter: '{{', rightDelimiter: '}}' };

function countingChecker(): TemplateChecker & { calls: number } {
  const checker = {
    calls: 0,
    check(text: string) {
      checker.calls++;
      return text.includes('bad') ? { line: 1, column: 1, reason: 'bad' } : undefined;
    },
  };
  return checker;
}

describe('cached template checks', () => {
  it('parses each distinct template once and returns the same answer again', () => {
    const inner = countingChecker();
    const checker = cachedChecker(inner);
    expect(checker.check('good', db)).toBeUndefined();
    expect(checker.check('bad', db)).toEqual({ line: 1, column: 1, reason: 'bad' });
    expect(checker.check('good', db)).toBeUndefined();
    expect(checker.check('bad', db)).toEqual({ line: 1, column: 1, reason: 'bad' });
    expect(inner.calls).toBe(2);
  });

  it('tells templates apart by delimiters and name', () => {
    const inner = countingChecker();
    const checker = cachedChecker(inner);
    checker.check('x', db);
    checker.check('x', { ...db, leftDelimiter: '[[' });
    checker.check('x', { ...db, name: 'other' });
    expect(inner.calls).toBe(3);
  });

  it('forgets the least recently used entries beyond its bound', () => {
    const inner = countingChecker();
    const checker = cachedChecker(inner);
    for (let i = 0; i < 5_000; i++) checker.check(`t${i}`, db);
    inner.calls = 0;
    checker.check('t4999', db);
    expect(inner.calls).toBe(0);
    checker.check('t0', db);
    expect(inner.calls).toBe(1);
  });
});
