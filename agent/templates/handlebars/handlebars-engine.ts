/**
 * The native engine: handlebars in its own environment (`Handlebars.create()`), so helpers
 * registered here reach no other handlebars user in the process, with consul-template's
 * function names (`secret`, `pkiCert`, `toJSON`, `base64Decode`, `env`, `index`, …).
 *
 * - Output is never HTML-escaped (`noEscape`): these are config files, not web pages. Every
 *   output is made text before it is joined (see useStringOutput).
 * - Prototype access stays off (`allowProto…ByDefault: false` passed explicitly, which also
 *   keeps handlebars from logging each denied lookup): `{{constructor}}` renders nothing.
 * - Missing keys: with `errorOnMissingKey` the template is compiled `strict` and a key that does
 *   not exist fails the render, naming the key and its position. Without it a missing key renders
 *   as nothing, as handlebars always does — not consul-template's `<no value>`, which is a Go
 *   artefact nobody wants in a config file and which native-engine users would not expect.
 * - `log` is removed: it would print template data to the agent's log.
 */
import Handlebars from 'handlebars';
import type { AgentTemplate } from '../../../contract/agent-config/index.js';
import type { CompileResult, CompiledTemplate, TemplateEngine } from '../template-engine.js';
import { runRenderPass } from '../render-session.js';
import { checkHandlebarsTemplate } from './check-handlebars-template.js';
import { createDataHelpers } from './data-helpers.js';
import { describeHandlebarsError, describeHandlebarsParseError } from './describe-handlebars-error.js';
import { createLogicHelpers } from './logic-helpers.js';
import { createSecretHelpers, type HelperContext } from './secret-helpers.js';
import { createStringHelpers } from './string-helpers.js';

const RUNTIME_OPTIONS: Handlebars.RuntimeOptions = Object.freeze({
  allowProtoPropertiesByDefault: false,
  allowProtoMethodsByDefault: false,
});

/** The root context: templates reach data only through helpers. A plain object, as strict mode stringifies it. */
const ROOT_CONTEXT = Object.freeze({});

type AppendToBuffer = (this: unknown, source: unknown, location: unknown, explicit: unknown) => unknown;

interface JavaScriptCompilerClass {
  new (): object;
  prototype: { appendToBuffer: AppendToBuffer; compiler: unknown };
}

/**
 * With `noEscape`, handlebars joins outputs with a bare `+`: `{{a}}{{b}}` with the numbers 1 and
 * 2 renders `3`, and a template of one `{{n}}` returns a number. Escaping would have made each
 * output a string first; this compiler does just that through `appendToBuffer`, which handlebars
 * documents as the method for subclasses to override, in this environment only.
 */
function useStringOutput(handlebars: typeof Handlebars): void {
  const environment = handlebars as unknown as { JavaScriptCompiler: JavaScriptCompilerClass };
  const Base = environment.JavaScriptCompiler;
  const baseAppend = Base.prototype.appendToBuffer;
  class StringOutputCompiler extends (Base as new () => object) {}
  const prototype = StringOutputCompiler.prototype as JavaScriptCompilerClass['prototype'];
  prototype.appendToBuffer = function (source, location, explicit) {
    return baseAppend.call(this, ['""+(', source, ')'], location, explicit);
  };
  // Child programs ({{#with}} bodies) are compiled with `new this.compiler()`.
  prototype.compiler = StringOutputCompiler;
  environment.JavaScriptCompiler = StringOutputCompiler as unknown as JavaScriptCompilerClass;
}

export function createHandlebarsEngine(): TemplateEngine {
  const handlebars = Handlebars.create();
  handlebars.unregisterHelper('log');
  useStringOutput(handlebars);

  // Renders are synchronous, so the render in progress is simply the one set here.
  let active: HelperContext | undefined;
  const current = (): HelperContext => {
    if (active === undefined) throw new Error('a template helper ran outside a render');
    return active;
  };
  const helpers = {
    ...createSecretHelpers(current),
    ...createDataHelpers(current),
    ...createStringHelpers(),
    ...createLogicHelpers(),
  };
  for (const [name, helper] of Object.entries(helpers)) handlebars.registerHelper(name, helper);
  const checkOptions = { helpers: new Set(Object.keys(helpers)), blockHelpers: new Set(['secret', 'pkiCert']) };

  return {
    compile(template: AgentTemplate, text: string): CompileResult {
      let program: hbs.AST.Program;
      try {
        program = handlebars.parse(text);
      } catch (error) {
        return { ok: false, reason: describeHandlebarsParseError(error) };
      }
      const problem = checkHandlebarsTemplate(program, checkOptions);
      if (problem !== undefined) return { ok: false, reason: problem };
      const render = handlebars.compile(program, { noEscape: true, strict: template.errorOnMissingKey });
      const compiled: CompiledTemplate = {
        render(lookup, environment) {
          return runRenderPass(
            lookup,
            environment,
            (session) => {
              active = { session, destination: template.destination };
              try {
                return render(ROOT_CONTEXT, RUNTIME_OPTIONS);
              } finally {
                active = undefined;
              }
            },
            (error) => describeHandlebarsError(error, text),
          );
        },
      };
      return { ok: true, template: compiled };
    },
  };
}
