/**
 * A least-recently-used map with string keys, bounded both by its number of entries and by the
 * total length of its keys (keys here are template texts or annotation fingerprints, so their
 * size, not their count, is what costs memory). Used for results that depend only on their key.
 *
 * A hit moves the entry to the back under the key string it was stored with, not the caller's
 * (equal) one: the caller's key is usually built for this one request, and keeping it in the map
 * would let every request's key outlive two young-generation collections and be promoted, which
 * shows as old-space growth and longer pauses under load.
 */
export class BoundedLru<V> {
  readonly #entries = new Map<string, { key: string; value: V }>();
  #keyChars = 0;
  /** The most recently used entry: hits on it (one workload scaling up) need no reordering. */
  #newest: { key: string; value: V } | undefined;

  constructor(
    readonly maxEntries: number,
    readonly maxKeyChars: number,
  ) {}

  get size(): number {
    return this.#entries.size;
  }

  /** The value for `key`, which becomes the most recently used; undefined when absent. */
  get(key: string): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry !== this.#newest) {
      this.#entries.delete(key);
      this.#entries.set(entry.key, entry);
      this.#newest = entry;
    }
    return entry.value;
  }

  /** Remembers `value` (not undefined) unless the key alone exceeds the size bound. */
  set(key: string, value: V): void {
    if (key.length > this.maxKeyChars) return;
    if (this.#entries.delete(key)) this.#keyChars -= key.length;
    this.#newest = { key, value };
    this.#entries.set(key, this.#newest);
    this.#keyChars += key.length;
    for (const [oldest] of this.#entries) {
      if (this.#entries.size <= this.maxEntries && this.#keyChars <= this.maxKeyChars) break;
      this.#entries.delete(oldest);
      this.#keyChars -= oldest.length;
    }
    if (this.#entries.size === 0) this.#newest = undefined;
  }
}
