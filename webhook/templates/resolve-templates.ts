/**
 * Decides each secret's template text and engine at admission time and checks that it parses,
 * so that the agent never guesses and a broken template never reaches a pod.
 */
import type { TemplateEngine } from '../../contract/agent-config/index.js';
import type { SecretSpec } from '../../contract/annotations/index.js';
import { cachedChecker } from './check-cache.js';
import { goChecker } from './check-go.js';
import { handlebarsChecker } from './check-handlebars.js';
import { defaultTemplateContents } from './default-templates.js';
import { detectEngine } from './detect-engine.js';
import type { TemplateChecker } from './template-syntax-error.js';

export interface ResolvedTemplate {
  secret: SecretSpec;
  engine: TemplateEngine;
  /** Inline text (annotation or default template); undefined for template files. */
  contents: string | undefined;
  /** Template file in the agent container. */
  source: string | undefined;
}

export interface TemplateProblem {
  /** Annotation key without prefix. */
  key: string;
  message: string;
}

/** Syntax checkers by engine: the agent's own engines' parsers. */
const CHECKERS: Record<TemplateEngine, TemplateChecker> = { handlebars: cachedChecker(handlebarsChecker), go: cachedChecker(goChecker) };

export function resolveTemplates(secrets: readonly SecretSpec[]): { templates: ResolvedTemplate[]; problems: TemplateProblem[] } {
  const templates: ResolvedTemplate[] = [];
  const problems: TemplateProblem[] = [];
  for (const secret of secrets) {
    const resolved = resolveOne(secret, problems);
    if (resolved) templates.push(resolved);
  }
  return { templates, problems };
}

function resolveOne(secret: SecretSpec, problems: TemplateProblem[]): ResolvedTemplate | undefined {
  const { template, name } = secret;
  if (template.kind === 'default') {
    return { secret, engine: 'go', contents: defaultTemplateContents(template.format, template.vaultPath), source: undefined };
  }
  const engineKey = `agent-template-engine-${name}`;
  if (template.kind === 'file') {
    // The file is only readable inside the pod; without an explicit engine, vault-k8s's meaning.
    return { secret, engine: secret.engine === 'auto' ? 'go' : secret.engine, contents: undefined, source: template.path };
  }

  const key = `agent-inject-template-${name}`;
  let engine: TemplateEngine;
  if (secret.engine !== 'auto') {
    engine = secret.engine;
  } else {
    const detected = detectEngine(template.contents);
    if (!detected.ok) {
      problems.push({
        key,
        message: `mixes Go-template (consul-template) and handlebars syntax; set ${engineKey} (or agent-template-engine) to "go" or "handlebars"`,
      });
      return undefined;
    }
    engine = detected.engine;
  }
  if (engine === 'handlebars' && (secret.leftDelimiter !== '{{' || secret.rightDelimiter !== '}}')) {
    problems.push({ key, message: 'uses custom delimiters, which only the go engine supports' });
    return undefined;
  }
  const error = CHECKERS[engine].check(template.contents, secret);
  if (error) {
    problems.push({ key, message: `${engine} template ${engine === 'go' ? 'not supported' : 'syntax error'} at line ${error.line}, column ${error.column}: ${error.reason}` });
    return undefined;
  }
  return { secret, engine, contents: template.contents, source: undefined };
}
