/**
 * The pod's annotations under the prefix, with bookkeeping of which ones a reader used, so that
 * whatever is left over can be reported as unknown.
 */

/**
 * Injector-wide defaults, keyed by annotation key without the prefix (e.g. `service`,
 * `agent-image`). vault-k8s writes its flag values into absent annotations before parsing; we
 * read them as a fallback layer instead, with the same effect: a present annotation wins, even
 * when empty.
 */
export type InjectorDefaults = Readonly<Record<string, string | undefined>>;

export class AnnotationSource {
  readonly #values = new Map<string, string>();
  readonly #used = new Set<string>();
  /** Keys (without prefix) whose value is not a string: impossible from a real API server. */
  readonly notStrings: string[] = [];

  constructor(
    annotations: Readonly<Record<string, unknown>>,
    readonly prefix: string,
  ) {
    for (const [fullKey, value] of Object.entries(annotations)) {
      // Kubernetes annotation values are strings; anything else cannot come from a real pod.
      if (!fullKey.startsWith(prefix)) continue;
      if (typeof value === 'string') this.#values.set(fullKey.slice(prefix.length), value);
      else this.notStrings.push(fullKey.slice(prefix.length));
    }
  }

  has(key: string): boolean {
    return this.#values.has(key);
  }

  /** The value of `key` (without prefix), marking it used; `undefined` when absent. */
  take(key: string): string | undefined {
    const value = this.#values.get(key);
    if (value !== undefined) this.#used.add(key);
    return value;
  }

  /** Keys (without prefix) that start with `familyPrefix` and are longer than it. */
  keysStartingWith(familyPrefix: string): string[] {
    return [...this.#values.keys()].filter((k) => k.startsWith(familyPrefix) && k.length > familyPrefix.length);
  }

  isUsed(key: string): boolean {
    return this.#used.has(key);
  }

  /** Keys (without prefix) nobody has taken, sorted. */
  unused(): string[] {
    return [...this.#values.keys()].filter((k) => !this.#used.has(k)).sort();
  }
}
