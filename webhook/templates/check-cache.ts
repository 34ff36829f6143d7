/**
 * Remembers template check results. Parsing is the dearest step of an admission (handlebars'
 * generated parser takes ~0.4 ms for half a kilobyte of template), and the pods of one workload
 * carry the same templates, so every replica after the first is a cache hit. Bounded by entries
 * and by the total size of the remembered texts; least recently used entries go first.
 */
import { BoundedLru } from '../bounded-lru.js';
import type { CheckedTemplate, TemplateChecker, TemplateSyntaxError } from './template-syntax-error.js';

const MAX_ENTRIES = 4_096;
const MAX_TOTAL_CHARS = 16 * 1024 * 1024;

export function cachedChecker(inner: TemplateChecker): TemplateChecker {
  const results = new BoundedLru<TemplateSyntaxError | null>(MAX_ENTRIES, MAX_TOTAL_CHARS);
  return {
    check(text: string, template: CheckedTemplate): TemplateSyntaxError | undefined {
      // The name only appears in messages; results depend on the text and delimiters.
      const key = `${template.leftDelimiter}\0${template.rightDelimiter}\0${template.name}\0${text}`;
      let result = results.get(key);
      if (result === undefined) {
        result = inner.check(text, template) ?? null;
        results.set(key, result);
      }
      return result ?? undefined;
    },
  };
}
