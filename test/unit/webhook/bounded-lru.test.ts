import { describe, expect, it } from 'vitest';
import { BoundedLru } from '../../../webhook/bounded-lru.js';

describe('BoundedLru', () => {
  it('keeps at most maxEntries, dropping the least recently used', () => {
    const lru = new BoundedLru<number>(3, 1_000);
    lru.set('a', 1);
    lru.set('b', 2);
    lru.set('c', 3);
    expect(lru.get('a')).toBe(1); // a is now the most recent; b the least
    lru.set('d', 4);
    expect(lru.size).toBe(3);
    expect(lru.get('b')).toBeUndefined();
    expect([lru.get('a'), lru.get('c'), lru.get('d')]).toEqual([1, 3, 4]);
  });

  it('keeps the order right when the newest entry is hit again and again', () => {
    const lru = new BoundedLru<number>(2, 1_000);
    lru.set('a', 1);
    lru.set('b', 2);
    expect(lru.get('b')).toBe(2);
    expect(lru.get('b')).toBe(2);
    expect(lru.get('a')).toBe(1); // a is the newest now, b the oldest
    expect(lru.get('a')).toBe(1);
    lru.set('c', 3);
    expect(lru.get('b')).toBeUndefined();
    expect([lru.get('a'), lru.get('c')]).toEqual([1, 3]);
  });

  it('keeps the total key length within maxKeyChars', () => {
    const lru = new BoundedLru<string>(100, 10);
    lru.set('aaaa', 'x');
    lru.set('bbbb', 'y');
    lru.set('cccc', 'z'); // 12 characters in all: aaaa goes
    expect(lru.get('aaaa')).toBeUndefined();
    expect(lru.get('bbbb')).toBe('y');
    expect(lru.get('cccc')).toBe('z');
  });

  it('counts a given weight instead of the key length when one is passed', () => {
    const lru = new BoundedLru<string>(100, 100);
    lru.set('a', 'big', 60);
    lru.set('b', 'big too', 60); // 120 in all: a goes
    expect(lru.get('a')).toBeUndefined();
    expect(lru.get('b')).toBe('big too');
    lru.set('c', 'too big alone', 101);
    expect(lru.get('c')).toBeUndefined();
    expect(lru.get('b')).toBe('big too');
  });

  it('does not remember a key larger than the whole bound, and keeps what it had', () => {
    const lru = new BoundedLru<string>(100, 10);
    lru.set('abc', 'kept');
    lru.set('k'.repeat(11), 'too big');
    expect(lru.get('k'.repeat(11))).toBeUndefined();
    expect(lru.get('abc')).toBe('kept');
  });

  it('replaces the value of a key set again without counting its length twice', () => {
    const lru = new BoundedLru<number>(100, 8);
    lru.set('abcd', 1);
    lru.set('abcd', 2);
    lru.set('efgh', 3);
    expect(lru.get('abcd')).toBe(2);
    expect(lru.get('efgh')).toBe(3);
  });
});
