/**
 * Parses the subset of Go templates the go engine renders today: vault-k8s's default `map` and
 * `json` templates, recognised by structure rather than by exact text, so any path, trim
 * markers, white space and text around the actions are accepted:
 *
 *   {{ with secret "<path>" ["k=v" …] }} … {{ end }}
 *   {{ range $k, $v := .Data }} … {{ $k }} … {{ $v }} … {{ end }}   (directly inside `with`)
 *   {{ .Data | toJSON }}  or  {{ toJSON .Data }}                     (directly inside `with`)
 *
 * Anything else is reported with its line, so the caller can point users at the handlebars
 * engine until the general Go-template engine lands.
 */
import type { SecretRequest } from '../template-engine.js';
import { secretRequest } from '../secret-request-args.js';
import { TemplateRenderError } from '../template-render-error.js';
import { parseGoStringLiteral } from './go-string-literal.js';
import type { GoTemplateItem } from './lex-go-template.js';

export type GoNode =
  | { kind: 'text'; text: string }
  | { kind: 'withSecret'; request: SecretRequest; body: GoNode[] }
  /** `keyVariable` is undefined for `range $v := .Data`. */
  | { kind: 'rangeData'; keyVariable: string | undefined; valueVariable: string; body: GoNode[] }
  | { kind: 'printVariable'; name: string }
  | { kind: 'dataToJson' };

export type ParseResult = { ok: true; nodes: GoNode[] } | { ok: false; reason: string };

type Action =
  | { kind: 'end' }
  | { kind: 'withSecret'; request: SecretRequest }
  | { kind: 'rangeData'; keyVariable: string | undefined; valueVariable: string }
  | { kind: 'printVariable'; name: string }
  | { kind: 'dataToJson' };

const TOKEN = /\s+|("(?:[^"\\\n]|\\.)*"|`[^`]*`|:=|[|,]|[^\s|,"`:]+)/y;
const VARIABLE = /^\$[A-Za-z_][A-Za-z0-9_]*$/;

/** Action tokens, or undefined on a character the subset has no use for. */
function tokenize(body: string): string[] | undefined {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < body.length) {
    const match = TOKEN.exec(body);
    if (match === null) return undefined;
    if (match[1] !== undefined) tokens.push(match[1]);
  }
  return tokens;
}

function parseSecretCall(args: string[]): Action | undefined {
  const values = args.map(parseGoStringLiteral);
  if (values.length === 0 || values.some((value) => value === undefined)) return undefined;
  const [path, ...rest] = values as string[];
  try {
    return { kind: 'withSecret', request: secretRequest(path, rest) };
  } catch (error) {
    if (error instanceof TemplateRenderError) return undefined;
    throw error;
  }
}

function parseAction(tokens: string[]): Action | undefined {
  const [first, ...rest] = tokens;
  const text = tokens.join(' ');
  if (text === 'end') return { kind: 'end' };
  if (text === '.Data | toJSON' || text === 'toJSON .Data') return { kind: 'dataToJson' };
  if (tokens.length === 1 && first !== undefined && VARIABLE.test(first)) return { kind: 'printVariable', name: first };
  if (first === 'with' && rest[0] === 'secret') return parseSecretCall(rest.slice(1));
  if (first === 'range' && tokens.at(-1) === '.Data' && tokens.at(-2) === ':=') {
    const variables = tokens.slice(1, -2);
    const [key, comma, value] = variables;
    if (variables.length === 1 && key !== undefined && VARIABLE.test(key)) return { kind: 'rangeData', keyVariable: undefined, valueVariable: key };
    if (variables.length === 3 && comma === ',' && key !== undefined && value !== undefined && VARIABLE.test(key) && VARIABLE.test(value)) {
      return { kind: 'rangeData', keyVariable: key, valueVariable: value };
    }
  }
  return undefined;
}

interface OpenBlock {
  node: Extract<GoNode, { kind: 'withSecret' | 'rangeData' }>;
  line: number;
}

/** Where an action may appear, as a reason it may not, or undefined when it may. */
function misplaced(action: Action, innermost: OpenBlock | undefined, open: OpenBlock[]): string | undefined {
  switch (action.kind) {
    case 'withSecret':
      return open.some((block) => block.node.kind === 'rangeData') ? '`with secret` inside `range`' : undefined;
    case 'rangeData':
    case 'dataToJson':
      return innermost?.node.kind === 'withSecret' ? undefined : '`.Data` outside `with secret`';
    case 'printVariable': {
      const range = innermost?.node.kind === 'rangeData' ? innermost.node : undefined;
      const declared = range !== undefined && (range.keyVariable === action.name || range.valueVariable === action.name);
      return declared ? undefined : `undefined variable ${action.name}`;
    }
    case 'end':
      return innermost === undefined ? 'unexpected `end`' : undefined;
  }
}

export function parseDefaultTemplate(items: readonly GoTemplateItem[]): ParseResult {
  const root: GoNode[] = [];
  const open: OpenBlock[] = [];
  const current = (): GoNode[] => open.at(-1)?.node.body ?? root;
  for (const item of items) {
    if (item.kind === 'text') {
      current().push({ kind: 'text', text: item.text });
      continue;
    }
    const tokens = tokenize(item.body);
    const action = tokens === undefined ? undefined : parseAction(tokens);
    if (action === undefined) return { ok: false, reason: `line ${item.line}: this action is not part of vault-k8s's default templates` };
    const problem = misplaced(action, open.at(-1), open);
    if (problem !== undefined) return { ok: false, reason: `line ${item.line}: ${problem}` };
    if (action.kind === 'end') {
      open.pop();
    } else if (action.kind === 'withSecret' || action.kind === 'rangeData') {
      const node: OpenBlock['node'] = { ...action, body: [] };
      current().push(node);
      open.push({ node, line: item.line });
    } else {
      current().push(action);
    }
  }
  const unclosed = open.at(-1);
  if (unclosed !== undefined) return { ok: false, reason: `line ${unclosed.line}: unclosed ${unclosed.node.kind === 'withSecret' ? 'with' : 'range'} (missing {{ end }})` };
  return { ok: true, nodes: root };
}
