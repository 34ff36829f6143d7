import jsonpatch from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import { parseOctalFileMode } from '../agent-config/file-mode.js';

/**
 * Value types of annotation values, with vault-k8s's (that is, Go's) parsing rules.
 *
 * Each type turns the raw annotation string into a typed value or says what it expected.
 * Messages never repeat the raw value: annotation values can carry templates and other
 * material that must not end up in logs, and denial messages are logged.
 */

export type ParseResult<T> = { ok: true; value: T } | { ok: false; expected: string };

export interface ValueType<T> {
  /** Short name shown in the catalog table, e.g. `bool`, `duration`. */
  readonly name: string;
  parse(raw: string): ParseResult<T>;
}

const ok = <T>(value: T): ParseResult<T> => ({ ok: true, value });
const fail = <T>(expected: string): ParseResult<T> => ({ ok: false, expected });

const GO_TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const GO_FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** Go `strconv.ParseBool`, with vault-k8s's rule that an empty string means false. */
export const goBool: ValueType<boolean> = {
  name: 'bool',
  parse(raw) {
    if (raw === '' || GO_FALSE.has(raw)) return ok(false);
    if (GO_TRUE.has(raw)) return ok(true);
    return fail('a boolean: one of true, false, 1, 0, t, f, TRUE, FALSE, True, False');
  },
};

/** Base-10 integer within [min, max]; an empty string is 0, as `parseutil.ParseInt` does. */
export function integer(min: number, max: number, what = 'an integer'): ValueType<number> {
  return {
    name: 'int',
    parse(raw) {
      if (raw === '') return min <= 0 && max >= 0 ? ok(0) : fail(`${what} from ${min} to ${max}`);
      if (!/^[+-]?\d+$/.test(raw)) return fail(what);
      const value = Number(raw);
      if (!Number.isSafeInteger(value) || value < min || value > max) {
        return fail(`${what} from ${min} to ${max}`);
      }
      return ok(value);
    },
  };
}

/** Go `strconv.ParseUint`: digits only, no sign, leading zeros allowed. */
export function unsigned(max: number, what = 'a non-negative integer'): ValueType<number> {
  return {
    name: 'uint',
    parse(raw) {
      if (!/^\d+$/.test(raw)) return fail(`${what} (digits only)`);
      const value = Number(raw);
      if (!Number.isSafeInteger(value) || value > max) return fail(`${what} up to ${max}`);
      return ok(value);
    },
  };
}

/** Go `strconv.ParseFloat` for plain decimal notation, limited to a range. */
export function float(min: number, max: number, what = 'a number'): ValueType<number> {
  return {
    name: 'float',
    parse(raw) {
      const trimmed = raw.trim();
      if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(trimmed)) return fail(`${what} such as 0.9`);
      const value = Number(trimmed);
      if (value < min || value > max) return fail(`${what} from ${min} to ${max}`);
      return ok(value);
    },
  };
}

const DURATION_UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  'µs': 1e-3,
  'μs': 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** Go `time.ParseDuration` (e.g. `1h30m`, `1.5s`, `300ms`, `0`), returned in milliseconds. */
export function goDurationMs(raw: string): number | undefined {
  if (raw === '0' || raw === '+0' || raw === '-0') return 0;
  const match = /^([+-]?)((?:(?:\d+\.?\d*|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+)$/.exec(raw);
  if (!match) return undefined;
  let total = 0;
  for (const part of match[2]!.matchAll(/(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) {
    total += Number(part[1]) * DURATION_UNIT_MS[part[2]!]!;
  }
  return match[1] === '-' ? -total : total;
}

/** A non-negative Go duration, in milliseconds. */
export const duration: ValueType<number> = {
  name: 'duration',
  parse(raw) {
    const ms = goDurationMs(raw);
    if (ms === undefined) return fail('a Go duration such as 500ms, 30s, 5m or 1h30m');
    if (ms < 0) return fail('a non-negative duration');
    return ok(ms);
  },
};

/** A Kubernetes resource quantity (`resource.ParseQuantity`), e.g. `250m`, `64Mi`, `1G`, `1e3`. */
export const quantity: ValueType<string> = {
  name: 'quantity',
  parse(raw) {
    if (!/^\+?(\d+\.?\d*|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/.test(raw)) {
      return fail('a non-negative Kubernetes quantity such as 250m, 1, 64Mi or 1Gi');
    }
    return ok(raw);
  },
};

/** Any string, taken as is. */
export const text: ValueType<string> = { name: 'string', parse: (raw) => ok(raw) };

/** A string that must not be blank once trimmed; the result is trimmed. */
export function nonBlank(what: string): ValueType<string> {
  return {
    name: 'string',
    parse(raw) {
      const value = raw.trim();
      return value === '' ? fail(what) : ok(value);
    },
  };
}

/** One of a fixed set of words; `caseInsensitive` lower-cases first, as vault-k8s does for some. */
export function oneOf<const W extends string>(words: readonly W[], caseInsensitive = false): ValueType<W> {
  return {
    name: 'enum',
    parse(raw) {
      const candidate = caseInsensitive ? raw.toLowerCase() : raw;
      return (words as readonly string[]).includes(candidate)
        ? ok(candidate as W)
        : fail(`one of ${words.map((w) => `"${w}"`).join(', ')}`);
    },
  };
}

/** Comma-separated list; entries are trimmed and empty entries dropped. */
export const commaList: ValueType<string[]> = {
  name: 'list',
  parse: (raw) =>
    ok(
      raw
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== ''),
    ),
};

/** An absolute path inside a container (must start with `/`). */
export const absolutePath: ValueType<string> = {
  name: 'path',
  parse(raw) {
    const value = raw.trim();
    if (!value.startsWith('/')) return fail('an absolute path starting with /');
    if (value.includes('\0')) return fail('a path without NUL characters');
    return ok(value);
  },
};

/** A file mode written in octal as the agent reads it, e.g. `0600` or `644` (shared with AgentConfig). */
export const fileMode: ValueType<number> = {
  name: 'octal',
  parse(raw) {
    const parsed = parseOctalFileMode(raw.trim());
    return parsed.ok ? ok(parsed.mode) : fail(parsed.expected);
  },
};

/** A TCP port number. */
export const port: ValueType<number> = integer(1, 65535, 'a TCP port');

/** A Kubernetes object name (DNS-1123 subdomain), e.g. a Secret or ConfigMap name. */
export const objectName: ValueType<string> = {
  name: 'name',
  parse(raw) {
    const value = raw.trim();
    if (value.length > 253 || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(value)) {
      return fail('a Kubernetes object name (lower-case letters, digits, "-" and ".", at most 253 characters)');
    }
    return ok(value);
  },
};

/** An http or https URL. */
export const httpUrl: ValueType<string> = {
  name: 'url',
  parse(raw) {
    const value = raw.trim();
    try {
      const url = new URL(value);
      if (url.protocol === 'http:' || url.protocol === 'https:') return ok(value);
    } catch {
      // fall through to the failure below
    }
    return fail('an http:// or https:// URL');
  },
};

/** A JSON value; the caller checks its shape. */
export const json: ValueType<unknown> = {
  name: 'json',
  parse(raw) {
    try {
      return ok(JSON.parse(raw) as unknown);
    } catch {
      return fail('valid JSON');
    }
  },
};

/** A quantity, or unset when empty: vault-k8s drops a resource entry whose annotation is `""`. */
export const optionalQuantity: ValueType<string | undefined> = {
  name: 'quantity',
  parse: (raw) => (raw.trim() === '' ? ok(undefined) : quantity.parse(raw.trim())),
};

/**
 * An RFC 6902 JSON Patch (an array of operations). `""` and `null` mean no patch, as in vault-k8s.
 * The operations' shapes are checked now; whether they apply is only known against the container.
 */
export const jsonPatch: ValueType<Operation[]> = {
  name: 'json-patch',
  parse(raw) {
    if (raw.trim() === '') return ok([]);
    const parsed = json.parse(raw);
    if (!parsed.ok) return fail('an RFC 6902 JSON Patch: valid JSON');
    if (parsed.value === null) return ok([]);
    if (!Array.isArray(parsed.value)) return fail('an RFC 6902 JSON Patch: a JSON array of operations');
    const problem = jsonpatch.validate(parsed.value as Operation[]);
    if (problem) return fail(`an RFC 6902 JSON Patch: operation ${problem.index} is invalid (${problem.name})`);
    return ok(parsed.value as Operation[]);
  },
};

/**
 * A Vault mount path such as `auth/kubernetes` or `auth/cluster-a/k8s`; a trailing `/` is dropped.
 * Limited to characters node-vault does not escape in request paths.
 */
export const mountPath: ValueType<string> = {
  name: 'mount path',
  parse(raw) {
    const value = raw.trim().replace(/\/+$/, '').replace(/^\/+/, '');
    if (!/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/.test(value) || value.split('/').includes('..')) {
      return fail('a Vault mount path such as auth/kubernetes (letters, digits, "_", ".", "-" and "/")');
    }
    return ok(value);
  },
};

/** Whole seconds (`30`) or a Go duration (`30s`), as Vault's VAULT_CLIENT_TIMEOUT accepts; in ms. */
export const secondsOrDuration: ValueType<number> = {
  name: 'duration',
  parse(raw) {
    const value = raw.trim();
    if (/^\d+$/.test(value)) return ok(Number(value) * 1000);
    return duration.parse(value);
  },
};
