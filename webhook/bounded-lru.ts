/**
 * A least-recently-used map with string keys, bounded both by its number of entries and by the
 * total length of its keys (keys here are template texts or whole annotation sets, so their size,
 * not their count, is what costs memory). Used for results that depend only on their key.
 */
export class BoundedLru<V> {
  readonly #entries = new Map<string, V>();
  #keyChars = 0;

  constructor(
    readonly maxEntries: number,
    readonly maxKeyChars: number,
  ) {}

  get size(): number {
    return this.#entries.size;
  }

  /** The value for `key`, which becomes the most recently used; undefined when absent. */
  get(key: string): V | undefined {
    const value = this.#entries.get(key);
    if (value === undefined) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, value);
    return value;
  }

  /** Remembers `value` (not undefined) unless the key alone exceeds the size bound. */
  set(key: string, value: V): void {
    if (key.length > this.maxKeyChars) return;
    if (this.#entries.delete(key)) this.#keyChars -= key.length;
    this.#entries.set(key, value);
    this.#keyChars += key.length;
    for (const [oldest] of this.#entries) {
      if (this.#entries.size <= this.maxEntries && this.#keyChars <= this.maxKeyChars) break;
      this.#entries.delete(oldest);
      this.#keyChars -= oldest.length;
    }
  }
}
