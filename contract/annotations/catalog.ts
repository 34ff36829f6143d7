/**
 * The annotation catalog: every `vault.hashicorp.com/*` annotation this injector knows, in one
 * place. The parser, the README table and `vault-injector annotations` are all derived from it.
 */
import { agentAnnotations } from './catalog-agent.js';
import { containerAnnotations } from './catalog-container.js';
import { perSecretAnnotations, prefixMapAnnotations } from './catalog-families.js';
import { injectionAnnotations } from './catalog-injection.js';
import { vaultAnnotations } from './catalog-vault.js';
import type { AnnotationEntry } from './entry.js';

/** The annotation prefix vault-k8s uses; the injector can be configured with another. */
export const DEFAULT_ANNOTATION_PREFIX = 'vault.hashicorp.com/';

export const plainAnnotations = {
  ...injectionAnnotations,
  ...vaultAnnotations,
  ...containerAnnotations,
  ...agentAnnotations,
};

export type PlainAnnotations = typeof plainAnnotations;
export type PlainField = keyof PlainAnnotations;

/** The parsed value of every plain annotation, keyed by field name. */
export type PlainValues = {
  -readonly [K in PlainField]: PlainAnnotations[K] extends AnnotationEntry<unknown, infer V> ? V : never;
};

export { perSecretAnnotations, prefixMapAnnotations };

/** Every catalog entry, in the order the README and CLI list them. */
export const catalogEntries: readonly AnnotationEntry[] = [
  ...(Object.values(plainAnnotations) as AnnotationEntry[]),
  ...(Object.values(perSecretAnnotations) as AnnotationEntry[]),
  ...(Object.values(prefixMapAnnotations) as AnnotationEntry[]),
];

/** Catalog entry of a plain annotation key (without prefix), if there is one. */
const byPlainKey = new Map<string, [PlainField, AnnotationEntry]>(
  (Object.entries(plainAnnotations) as [PlainField, AnnotationEntry][]).map(([field, entry]) => [
    entry.key,
    [field, entry],
  ]),
);

export function findPlainAnnotation(key: string): [PlainField, AnnotationEntry] | undefined {
  return byPlainKey.get(key);
}

/** A row of the public catalog, as `vault-injector annotations --json` prints it. */
export interface CatalogRow {
  key: string;
  form: AnnotationEntry['form'];
  description: string;
  default: string | null;
  type: string;
  extension: boolean;
  support: AnnotationEntry['support'];
  injectorEnv: string | null;
  note: string | null;
}

/** The catalog as plain rows, keys prefixed. */
export function catalogRows(prefix = DEFAULT_ANNOTATION_PREFIX): CatalogRow[] {
  return catalogEntries.map((entry) => ({
    key: prefix + entry.key,
    form: entry.form,
    description: entry.description,
    default: entry.defaultText ?? entry.default ?? null,
    type: entry.type.name,
    extension: entry.extension,
    support: entry.support,
    injectorEnv: entry.injector?.env ?? null,
    note: entry.note ?? null,
  }));
}
