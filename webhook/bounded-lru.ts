/**
 * A least-recently-used map with string keys, bounded both by its number of entries and by their
 * total weight: what each entry holds, counted in characters (by default its key's length, for
 * keys that carry the data, such as template texts). Used for results that depend only on their key.
 *
 * A hit moves the entry to the back under the key string it was stored with, not the caller's
 * (equal) one: the caller's key is usually built for this one request, and keeping it in the map
 * would let every request's key outlive two young-generation collections and be promoted, which
 * shows as old-space growth and longer pauses under load.
 */
interface Entry<V> {
  key: string;
  value: V;
  weight: number;
}

export class BoundedLru<V> {
  readonly #entries = new Map<string, Entry<V>>();
  #weight = 0;
  /** The most recently used entry: hits on it (one workload scaling up) need no reordering. */
  #newest: Entry<V> | undefined;

  constructor(
    readonly maxEntries: number,
    readonly maxWeight: number,
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

  /** Remembers `value` (not undefined) unless its weight alone exceeds the bound. */
  set(key: string, value: V, weight = key.length): void {
    if (weight > this.maxWeight) return;
    const previous = this.#entries.get(key);
    if (previous !== undefined) {
      this.#entries.delete(key);
      this.#weight -= previous.weight;
    }
    this.#newest = { key, value, weight };
    this.#entries.set(key, this.#newest);
    this.#weight += weight;
    for (const oldest of this.#entries.values()) {
      if (this.#entries.size <= this.maxEntries && this.#weight <= this.maxWeight) break;
      this.#entries.delete(oldest.key);
      this.#weight -= oldest.weight;
    }
    if (this.#entries.size === 0) this.#newest = undefined;
  }
}
