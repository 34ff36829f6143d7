/**
 * Decides which engine renders a template when its annotations do not say. Existing vault-k8s
 * workloads carry consul-template (Go text/template) syntax; handlebars is the native engine.
 * The two share `{{ name "arg" }}`, so only constructs unique to one of them count.
 */
import type { TemplateEngine } from '../../contract/agent-config/index.js';

/** Constructs only Go templates have: `.Field`, `$var`, pipes, trim markers, end/range/with/define. */
const GO_ONLY: readonly RegExp[] = [
  /\{\{-?\s*\.[A-Za-z_]/, // {{ .Data }}
  /\{\{-?\s*(?:range|with|if|define|template|block)\b[^}]*\}\}/, // keyword actions (no #)
  /\{\{-?\s*end\s*-?\}\}/,
  /\{\{-\s|\s-\}\}/, // whitespace trimming
  /\{\{(?![^}]*\bas\s*\|)[^}]*\|[^|}]/, // pipelines (not handlebars block params `as |x|`)
  /\$[A-Za-z_]\w*\s*:?=/, // variable declarations
  /\{\{\/\*/, // comments
];

/** Constructs only handlebars has: block helpers, closing tags, triple-stash, data vars, partials. */
const HANDLEBARS_ONLY: readonly RegExp[] = [
  /\{\{~?[#^]\s*[A-Za-z*>]/, // {{#each}}, {{^if}}
  /\{\{~?\/\s*[A-Za-z]/, // {{/each}}
  /\{\{\{/, // {{{raw}}}
  /\{\{~?\s*@[a-z]/, // {{@key}}
  /\{\{~?\s*(?:this|\.\.\/)/, // {{this}}, {{../x}}
  /\{\{~?>\s*\w/, // partials
  /\{\{!/, // comments
  /\s@(?:key|index|first|last|root)\b/,
];

export type EngineDetection =
  | { ok: true; engine: TemplateEngine; reason: 'only-go-syntax' | 'only-handlebars-syntax' | 'no-distinct-syntax' }
  | { ok: false; reason: 'both-syntaxes' };

export function detectEngine(text: string): EngineDetection {
  const go = GO_ONLY.some((pattern) => pattern.test(text));
  const handlebars = HANDLEBARS_ONLY.some((pattern) => pattern.test(text));
  if (go && handlebars) return { ok: false, reason: 'both-syntaxes' };
  if (handlebars) return { ok: true, engine: 'handlebars', reason: 'only-handlebars-syntax' };
  if (go) return { ok: true, engine: 'go', reason: 'only-go-syntax' };
  // Plain text or calls both engines read the same way: the vault-k8s meaning is the safe one.
  return { ok: true, engine: 'go', reason: 'no-distinct-syntax' };
}
