/**
 * Encoding helpers with consul-template's names and output: `toJSON` and `toJSONPretty` write
 * what Go's encoding/json writes (sorted keys, `\u003c` for `<`), base64 uses Go's padded
 * alphabets, and `index` reads own keys only. Errors name the helper, never the input.
 */
import { stringify as stringifyYaml } from 'yaml';
import { marshalGoJson, marshalGoJsonIndent } from '../go-format/marshal-go-json.js';
import { TemplateRenderError } from '../template-render-error.js';
import { describeType, requireArgCount, requireString, splitHelperArgs } from './helper-args.js';
import type { Helper, HelperContext } from './secret-helpers.js';

const STANDARD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const URL_BASE64 = /^(?:[A-Za-z0-9_-]{4})*(?:[A-Za-z0-9_-]{2}==|[A-Za-z0-9_-]{3}=)?$/;

/** Go's base64 decoders skip line breaks and insist on padding. */
function decodeBase64(helper: string, text: string, alphabet: RegExp): string {
  const cleaned = text.replace(/[\r\n]/g, '');
  if (!alphabet.test(cleaned)) throw new TemplateRenderError(`${helper}: the input is not valid padded base64`);
  return Buffer.from(cleaned, 'base64').toString('utf8');
}

function oneString(helper: string, args: readonly unknown[]): string {
  const { params } = splitHelperArgs(args);
  requireArgCount(helper, params, 1);
  return requireString(helper, params[0], 1);
}

function oneValue(helper: string, args: readonly unknown[]): unknown {
  const { params } = splitHelperArgs(args);
  requireArgCount(helper, params, 1);
  return params[0];
}

/** Go's `index`: each key steps into a map (own keys only) or a list (an integer in range). */
function indexInto(collection: unknown, keys: readonly unknown[]): unknown {
  let current = collection;
  for (const key of keys) {
    if (Array.isArray(current)) {
      if (typeof key !== 'number' || !Number.isInteger(key)) throw new TemplateRenderError('index: a list index must be an integer');
      if (key < 0 || key >= current.length) throw new TemplateRenderError('index: list index out of range');
      current = current[key];
    } else if (typeof current === 'object' && current !== null) {
      if (typeof key !== 'string') throw new TemplateRenderError(`index: a map key must be a string, got ${describeType(key)}`);
      current = Object.hasOwn(current, key) ? (current as Record<string, unknown>)[key] : undefined;
    } else {
      throw new TemplateRenderError(`index: cannot index ${describeType(current)}`);
    }
  }
  return current;
}

export function createDataHelpers(current: () => HelperContext): Record<string, Helper> {
  return {
    toJSON: (...args) => marshalGoJson(oneValue('toJSON', args)),
    toJSONPretty: (...args) => marshalGoJsonIndent(oneValue('toJSONPretty', args)),
    // Close to consul-template's yaml.v2 output (sorted keys, lists not indented), not byte-identical.
    toYAML: (...args) => (stringifyYaml(oneValue('toYAML', args) ?? null, { sortMapEntries: true, indentSeq: false }) ?? '').trim(),
    parseJSON(...args) {
      const text = oneString('parseJSON', args);
      if (text === '') return {};
      try {
        return JSON.parse(text) as unknown;
      } catch {
        // JSON.parse's message quotes the input.
        throw new TemplateRenderError('parseJSON: the input is not valid JSON');
      }
    },
    base64Encode: (...args) => Buffer.from(oneString('base64Encode', args), 'utf8').toString('base64'),
    base64Decode: (...args) => decodeBase64('base64Decode', oneString('base64Decode', args), STANDARD_BASE64),
    base64URLEncode: (...args) =>
      Buffer.from(oneString('base64URLEncode', args), 'utf8').toString('base64').replaceAll('+', '-').replaceAll('/', '_'),
    base64URLDecode: (...args) => decodeBase64('base64URLDecode', oneString('base64URLDecode', args), URL_BASE64),
    index(...args) {
      const { params } = splitHelperArgs(args);
      if (params.length < 2) throw new TemplateRenderError('index: expected a map or list and at least one key');
      return indexInto(params[0], params.slice(1));
    },
    env(...args) {
      const name = oneString('env', args);
      const { env } = current().session.environment;
      return Object.hasOwn(env, name) ? (env[name] ?? '') : '';
    },
  };
}
