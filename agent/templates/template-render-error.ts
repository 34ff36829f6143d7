/**
 * A render failure whose reason is safe to log: it names helpers, keys and positions from the
 * template, never data. Helpers throw it; the engines turn it into a `failed` outcome.
 */
export class TemplateRenderError extends Error {
  override readonly name = 'TemplateRenderError';
  constructor(
    readonly reason: string,
    /** A fetch failed for good: the render fails even while other requests are still missing. */
    readonly fatal = false,
  ) {
    super(reason);
  }
}
