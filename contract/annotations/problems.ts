/**
 * Problems found while parsing annotations. Every problem names the full annotation key and says
 * what was expected; none repeats the value (values are user data and denials get logged).
 */

export interface AnnotationProblem {
  /** The full annotation key, e.g. `vault.hashicorp.com/agent-run-as-user`. */
  key: string;
  message: string;
}

/** Collects errors and warnings, each once, in a stable order. */
export class ProblemCollector {
  readonly #errors = new Map<string, AnnotationProblem>();
  readonly #warnings = new Map<string, AnnotationProblem>();

  constructor(readonly prefix: string) {}

  /** An error about the annotation `key` (written without the prefix). */
  error(key: string, message: string): void {
    const problem = { key: this.prefix + key, message };
    this.#errors.set(`${problem.key}\0${message}`, problem);
  }

  warn(key: string, message: string): void {
    const problem = { key: this.prefix + key, message };
    this.#warnings.set(`${problem.key}\0${message}`, problem);
  }

  get hasErrors(): boolean {
    return this.#errors.size > 0;
  }

  errors(): AnnotationProblem[] {
    return sortProblems([...this.#errors.values()]);
  }

  warnings(): AnnotationProblem[] {
    return sortProblems([...this.#warnings.values()]);
  }
}

function sortProblems(problems: AnnotationProblem[]): AnnotationProblem[] {
  return problems.sort((a, b) => (a.key === b.key ? compare(a.message, b.message) : compare(a.key, b.key)));
}

/** Code-unit order, independent of locale. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One line per problem: `<key>: <message>`. */
export function formatProblems(problems: readonly AnnotationProblem[]): string {
  return problems.map((p) => `${p.key}: ${p.message}`).join('\n');
}
