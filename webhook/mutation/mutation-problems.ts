/**
 * What can go wrong while mutating a pod: problems deny the pod, warnings go back to the user.
 * Messages never repeat annotation values (they get logged); names of containers and volumes
 * are the pod's structure, not user data, and are named to make the fix obvious.
 */

export interface MutationProblem {
  /** The annotation key (without prefix) to blame, when there is one. */
  key?: string;
  message: string;
}

/** Collects problems and warnings, each once, in the order found. */
export class MutationReport {
  readonly problems: MutationProblem[] = [];
  readonly #warnings = new Set<string>();

  constructor(readonly prefix: string) {}

  problem(message: string, key?: string): void {
    const duplicate = this.problems.some((p) => p.key === key && p.message === message);
    if (!duplicate) this.problems.push(key === undefined ? { message } : { key, message });
  }

  /** A warning, prefixed with the full annotation key when there is one (`<key>: <message>`). */
  warn(message: string, key?: string): void {
    this.#warnings.add(key === undefined ? message : `${this.prefix}${key}: ${message}`);
  }

  get warnings(): string[] {
    return [...this.#warnings];
  }

  get ok(): boolean {
    return this.problems.length === 0;
  }
}
