/**
 * Reads every plain annotation through its catalog entry: annotation, else injector default,
 * else catalog default.
 */
import type { AnnotationSource, InjectorDefaults } from './annotation-source.js';
import { plainAnnotations, type PlainField, type PlainValues } from './catalog.js';
import { OnInvalid, type AnnotationEntry } from './entry.js';
import type { ProblemCollector } from './problems.js';
import type { ParseResult } from './value-types.js';

export function readPlainValues(
  source: AnnotationSource,
  injectorDefaults: InjectorDefaults,
  problems: ProblemCollector,
): PlainValues {
  const values: Record<string, unknown> = {};
  for (const [field, entry] of Object.entries(plainAnnotations) as [PlainField, AnnotationEntry][]) {
    values[field] = readOne(entry, source, injectorDefaults, problems);
  }
  return values as PlainValues;
}

const parsedDefaults = new WeakMap<AnnotationEntry, Map<string, ParseResult<unknown>>>();

function parseDefault(entry: AnnotationEntry, raw: string): ParseResult<unknown> {
  let byRaw = parsedDefaults.get(entry);
  if (byRaw === undefined) parsedDefaults.set(entry, (byRaw = new Map()));
  let parsed = byRaw.get(raw);
  if (parsed === undefined) {
    parsed = entry.type.parse(raw);
    // Shared between admissions: nobody may change it.
    if (parsed.ok && typeof parsed.value === 'object' && parsed.value !== null) Object.freeze(parsed.value);
    if (byRaw.size < 64) byRaw.set(raw, parsed);
  }
  return parsed;
}

function readOne(
  entry: AnnotationEntry,
  source: AnnotationSource,
  injectorDefaults: InjectorDefaults,
  problems: ProblemCollector,
): unknown {
  const fromPod = source.take(entry.key);
  const fromInjector = injectorDefaults[entry.key];
  const raw = fromPod ?? fromInjector ?? entry.default;
  if (raw === undefined) return undefined;

  // Defaults are the same strings on every admission: parse each once.
  const parsed = fromPod === undefined ? parseDefault(entry, raw) : entry.type.parse(raw);
  if (parsed.ok) return parsed.value;

  if (fromPod === undefined) {
    // Only an injector setting can get here (catalog defaults are tested to parse).
    problems.error(
      entry.key,
      `the injector default${entry.injector ? ` (${entry.injector.env})` : ''} is invalid: expected ${parsed.expected}`,
    );
    return undefined;
  }
  if (entry.onInvalid === OnInvalid.warnAndDefault) {
    const fallback = entry.default === undefined ? undefined : entry.type.parse(entry.default);
    problems.warn(entry.key, `expected ${parsed.expected}; using the default ${entry.default ?? '(unset)'}`);
    return fallback?.ok ? fallback.value : undefined;
  }
  problems.error(entry.key, `expected ${parsed.expected}`);
  return undefined;
}
