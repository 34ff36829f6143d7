/**
 * The go engine (consul-template syntax). For now it renders vault-k8s's default `map` and
 * `json` templates — the ones every `agent-inject-secret-<name>` without a template gets —
 * byte for byte as Vault Agent does, and plain text. Any other Go template fails to compile
 * with a pointer to the handlebars engine until the general Go-template engine lands.
 */
import type { AgentTemplate } from '../../../contract/agent-config/index.js';
import type { CompileResult, CompiledTemplate, TemplateEngine } from '../template-engine.js';
import { formatGoTemplateValue } from '../go-format/format-go-value.js';
import { goSortedKeys } from '../go-format/go-string-order.js';
import { marshalGoJson } from '../go-format/marshal-go-json.js';
import { runRenderPass, type RenderSession } from '../render-session.js';
import type { VaultSecret } from '../../vault/vault-api.js';
import { lexGoTemplate } from './lex-go-template.js';
import { parseDefaultTemplate, type GoNode } from './parse-default-template.js';

function unsupported(template: AgentTemplate, detail: string): CompileResult {
  return {
    ok: false,
    reason:
      `${detail}; the go engine currently supports vault-k8s's default templates; use the handlebars engine ` +
      `(vault.hashicorp.com/agent-template-engine-${template.name}: handlebars) for custom templates ` +
      'until the Go-template engine lands',
  };
}

interface Scope {
  /** The `with secret` value: the dot of its body. */
  secret: VaultSecret | undefined;
  variables: ReadonlyMap<string, unknown>;
}

function renderNodes(nodes: readonly GoNode[], scope: Scope, session: RenderSession, out: string[]): void {
  for (const node of nodes) {
    switch (node.kind) {
      case 'text':
        out.push(node.text);
        break;
      case 'withSecret': {
        // Not fetched yet: nil, so the body is skipped, as consul-template does on a first pass.
        const secret = session.secret(node.request);
        if (secret !== undefined) renderNodes(node.body, { secret, variables: scope.variables }, session, out);
        break;
      }
      case 'rangeData':
        renderRange(node, scope, session, out);
        break;
      case 'printVariable':
        out.push(formatGoTemplateValue(scope.variables.get(node.name)));
        break;
      case 'dataToJson':
        // consul-template's toJSON: json.Marshal, trimmed (a nil .Data marshals as `null`).
        out.push(marshalGoJson(scope.secret?.data ?? null).trim());
        break;
    }
  }
}

function renderRange(node: Extract<GoNode, { kind: 'rangeData' }>, scope: Scope, session: RenderSession, out: string[]): void {
  const data = scope.secret?.data ?? null;
  if (data === null) return;
  for (const key of goSortedKeys(data)) {
    const variables = new Map(scope.variables);
    if (node.keyVariable !== undefined) variables.set(node.keyVariable, key);
    variables.set(node.valueVariable, data[key]);
    renderNodes(node.body, { secret: scope.secret, variables }, session, out);
  }
}

/** Go-template data is JSON, so the only errors left are programming errors: name their type only. */
function describeGoError(error: unknown): string {
  return `the template failed to render (${error instanceof Error ? error.name : typeof error})`;
}

export function createGoEngine(): TemplateEngine {
  return {
    compile(template: AgentTemplate, text: string): CompileResult {
      const lexed = lexGoTemplate(text, template.leftDelimiter, template.rightDelimiter);
      if (!lexed.ok) return unsupported(template, lexed.reason);
      const parsed = parseDefaultTemplate(lexed.items);
      if (!parsed.ok) return unsupported(template, parsed.reason);
      const nodes = parsed.nodes;
      const compiled: CompiledTemplate = {
        render(lookup, environment) {
          const pass = (session: RenderSession): string => {
            const out: string[] = [];
            renderNodes(nodes, { secret: undefined, variables: new Map() }, session, out);
            return out.join('');
          };
          return runRenderPass(lookup, environment, pass, describeGoError);
        },
      };
      return { ok: true, template: compiled };
    },
  };
}
