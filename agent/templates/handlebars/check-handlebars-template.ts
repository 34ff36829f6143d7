/**
 * Checks a parsed handlebars template before it is compiled, so mistakes fail at start instead
 * of at the first render: every call names a known helper, only block helpers open blocks, and
 * there are no partials or decorators (the agent registers none; `inline` would define some).
 */

// `hbs` is the global namespace handlebars' type definitions declare for its AST.
type Node = hbs.AST.Node;

/** handlebars' own helpers that templates may call (`log` is removed: it prints to the agent's log). */
export const BUILTIN_HELPERS: readonly string[] = ['if', 'unless', 'each', 'with', 'lookup'];
const BUILTIN_BLOCK_HELPERS: readonly string[] = ['if', 'unless', 'each', 'with'];

/** consul-template functions that have no handlebars counterpart, with what to do instead. */
const UNSUPPORTED: Readonly<Record<string, string>> = {
  writeToFile:
    'writeToFile is not supported: render each file from its own template (one agent-inject-secret-<name> per file)',
  log: 'log is not available: it would print template data to the agent log',
};

export interface CheckOptions {
  helpers: ReadonlySet<string>;
  /** Helpers that may open a block, besides if/unless/each/with. */
  blockHelpers: ReadonlySet<string>;
}

function at(node: Node): string {
  const start = node.loc?.start;
  return start === undefined ? '' : ` (line ${start.line}, column ${start.column + 1})`;
}

function calledName(path: hbs.AST.PathExpression | hbs.AST.Literal): string | undefined {
  if (path.type === 'PathExpression') {
    const expression = path as hbs.AST.PathExpression;
    return !expression.data && expression.depth === 0 && expression.parts.length === 1 ? expression.original : undefined;
  }
  const value = (path as hbs.AST.StringLiteral).value as unknown;
  return value === undefined || value === null ? undefined : String(value);
}

type Call = hbs.AST.MustacheStatement | hbs.AST.SubExpression | hbs.AST.BlockStatement;

function checkCall(node: Call, options: CheckOptions, isBlock: boolean): string | undefined {
  const name = calledName(node.path);
  const hasArguments = node.params.length > 0 || (node.hash?.pairs.length ?? 0) > 0;
  if (name !== undefined && Object.hasOwn(UNSUPPORTED, name) && (hasArguments || isBlock)) return `${UNSUPPORTED[name]}${at(node)}`;
  if (isBlock && hasArguments) {
    if (name === undefined || !(BUILTIN_BLOCK_HELPERS.includes(name) || options.blockHelpers.has(name))) {
      return `${name ?? 'this expression'} cannot open a block${at(node)}`;
    }
    return undefined;
  }
  if (!hasArguments) return undefined; // a value lookup ({{password}}), or a helper without arguments
  if (name === undefined) return `only helpers take arguments${at(node)}`;
  if (BUILTIN_HELPERS.includes(name) || options.helpers.has(name)) return undefined;
  return `unknown helper ${name}${at(node)}`;
}

function children(node: Node): Node[] {
  const any = node as Partial<Call & hbs.AST.Program & { program: hbs.AST.Program; inverse: hbs.AST.Program }>;
  const list: (Node | undefined | null)[] = [
    ...(any.body ?? []),
    ...(any.params ?? []),
    ...(any.hash?.pairs.map((pair) => pair.value) ?? []),
    any.program,
    any.inverse,
  ];
  return list.filter((child): child is Node => child !== undefined && child !== null);
}

/** The first problem, or undefined when the template may be compiled. */
export function checkHandlebarsTemplate(program: hbs.AST.Program, options: CheckOptions): string | undefined {
  const pending: Node[] = [program];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    switch (node.type) {
      case 'PartialStatement':
      case 'PartialBlockStatement':
        return `partials are not supported${at(node)}`;
      case 'Decorator':
      case 'DecoratorBlock':
        return `decorators are not supported${at(node)}`;
      case 'MustacheStatement':
      case 'SubExpression':
      case 'BlockStatement': {
        const problem = checkCall(node as Call, options, node.type === 'BlockStatement');
        if (problem !== undefined) return problem;
        break;
      }
    }
    pending.push(...children(node).reverse());
  }
  return undefined;
}
