/**
 * Everything the demo starts registers how to undo it here; undoing runs in reverse order, once,
 * on success, on failure and on Ctrl-C.
 */
export class CleanupStack {
  readonly #steps: { label: string; undo: () => Promise<void> | void }[] = [];
  #done: Promise<void> | undefined;

  push(label: string, undo: () => Promise<void> | void): void {
    this.#steps.push({ label, undo });
  }

  /** Runs every registered step, newest first; failures are reported, not thrown. */
  runAll(report: (message: string) => void): Promise<void> {
    this.#done ??= (async () => {
      for (const step of this.#steps.reverse()) {
        try {
          await step.undo();
        } catch (error) {
          report(`cleanup of ${step.label} failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    })();
    return this.#done;
  }
}
