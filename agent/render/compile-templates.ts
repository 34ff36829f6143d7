/**
 * Compiles every template once, at start: the engine the webhook recorded for it (the agent never
 * guesses), the inline text or the `source` file. Engines are loaded on first use, so an agent
 * whose templates are all go templates never loads handlebars (RSS matters in every pod).
 */
import { readFile } from 'node:fs/promises';
import type { AgentTemplate, TemplateEngine as EngineName } from '../../contract/agent-config/index.js';
import type { CompiledTemplate, TemplateEngine } from '../templates/template-engine.js';

/** Loads an engine by name; called at most once per engine. */
export type EngineLoader = (name: EngineName) => Promise<TemplateEngine>;

export interface PreparedTemplate {
  config: AgentTemplate;
  compiled: CompiledTemplate;
}

/** Why a template cannot be used; safe to print (no template text, no data). */
export interface CompileProblem {
  template: string;
  destination: string;
  reason: string;
}

export type CompileOutcome = { ok: true; templates: PreparedTemplate[] } | { ok: false; problems: CompileProblem[] };

export interface CompileOptions {
  loadEngine: EngineLoader;
  /** Reads a `source` template file; @default node:fs readFile (utf8) */
  readSource?: (path: string) => Promise<string>;
}

export async function compileTemplates(templates: readonly AgentTemplate[], options: CompileOptions): Promise<CompileOutcome> {
  const readSource = options.readSource ?? ((path: string) => readFile(path, 'utf8'));
  const engines = new Map<EngineName, Promise<TemplateEngine>>();
  const engine = (name: EngineName): Promise<TemplateEngine> => {
    let loaded = engines.get(name);
    if (loaded === undefined) engines.set(name, (loaded = options.loadEngine(name)));
    return loaded;
  };
  const results = await Promise.all(
    templates.map(async (template): Promise<PreparedTemplate | CompileProblem> => {
      const problem = (reason: string): CompileProblem => ({ template: template.name, destination: template.destination, reason });
      let text: string;
      if (template.contents !== undefined) {
        text = template.contents;
      } else {
        try {
          text = await readSource(template.source ?? '');
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
          return problem(`cannot read the template file ${template.source ?? ''} (${code})`);
        }
      }
      const compiled = (await engine(template.engine)).compile(template, text);
      return compiled.ok ? { config: template, compiled: compiled.template } : problem(`${template.engine} template: ${compiled.reason}`);
    }),
  );
  const problems = results.filter((result): result is CompileProblem => 'reason' in result);
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, templates: results as PreparedTemplate[] };
}
