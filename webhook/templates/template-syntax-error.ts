/** Where and why a template does not parse. Never carries the template text itself. */
export interface TemplateSyntaxError {
  /** 1-based line of the problem. */
  line: number;
  /** 1-based column of the problem. */
  column: number;
  /** What the parser expected or found, without excerpts of the template. */
  reason: string;
}

/** What a checker may need besides the text. */
export interface CheckedTemplate {
  /** The secret's name. */
  name: string;
  leftDelimiter: string;
  rightDelimiter: string;
}

/** A template parser for one engine, used at admission time. */
export interface TemplateChecker {
  check(text: string, template: CheckedTemplate): TemplateSyntaxError | undefined;
}
