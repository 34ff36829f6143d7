import type { ValueType } from './value-types.js';

/** How an annotation key is formed. */
export const AnnotationForm = {
  /** A fixed key, e.g. `agent-inject`. */
  plain: 'plain',
  /** A family keyed by secret name, e.g. `agent-inject-secret-<name>`. */
  perSecret: 'per-secret',
  /** A family of free parameters, e.g. `auth-config-<param>`. */
  prefixMap: 'prefix-map',
} as const;
export type AnnotationForm = (typeof AnnotationForm)[keyof typeof AnnotationForm];

/** How far this injector honours an annotation. */
export const Support = {
  /** Honoured with vault-k8s's meaning. */
  supported: 'supported',
  /** Accepted, has no effect here; the webhook answers with an admission warning. */
  ignored: 'ignored',
  /** Cannot be honoured; a pod that sets it is denied with a message saying so. */
  unsupported: 'unsupported',
} as const;
export type Support = (typeof Support)[keyof typeof Support];

/** What happens when a value does not parse. */
export const OnInvalid = {
  /** The pod is denied (the normal case). */
  error: 'error',
  /** vault-k8s silently falls back to the default here; we warn and do the same. */
  warnAndDefault: 'warn-and-default',
} as const;
export type OnInvalid = (typeof OnInvalid)[keyof typeof OnInvalid];

interface EntryFields<T> {
  /**
   * The key after the prefix. Families carry a placeholder: `agent-inject-secret-<name>`,
   * `auth-config-<param>`.
   */
  readonly key: string;
  readonly form: AnnotationForm;
  /** What the annotation means, written for users. */
  readonly description: string;
  readonly type: ValueType<T>;
  /**
   * The default as a raw annotation value, parsed exactly like user input; `undefined` means unset.
   */
  readonly default: string | undefined;
  /** How the README and CLI describe the default when the raw value alone would mislead. */
  readonly defaultText?: string;
  /**
   * The injector-wide setting that replaces the default for every pod: an `AGENT_INJECT_*`
   * environment variable and the matching `vault-injector webhook` flag (vault-k8s's names).
   */
  readonly injector?: { readonly env: string; readonly flag: string };
  /** True for annotations that vault-k8s does not have. */
  readonly extension: boolean;
  readonly support: Support;
  /** Why an annotation is ignored or unsupported, or another fact users must know. */
  readonly note?: string;
  readonly onInvalid: OnInvalid;
}

/**
 * One catalog entry. `V` is the type of the parsed value as the spec holds it: `T` when a default
 * always supplies a value, `T | undefined` otherwise.
 */
export interface AnnotationEntry<T = unknown, V = T> extends EntryFields<T> {
  /** Type-level only: the parsed value's type. */
  readonly __value?: V;
}

type EntryInput<T> = Omit<EntryFields<T>, 'form' | 'extension' | 'support' | 'onInvalid' | 'default'> &
  Partial<Pick<EntryFields<T>, 'extension' | 'support' | 'onInvalid'>>;

/** A plain annotation that always has a value (from the annotation, the injector or the default). */
export function plainWithDefault<T>(input: EntryInput<T> & { default: string }): AnnotationEntry<T, T> {
  return complete(input, AnnotationForm.plain);
}

/** A plain annotation that may be unset. */
export function plainOptional<T>(input: EntryInput<T>): AnnotationEntry<T, T | undefined> {
  return complete({ ...input, default: undefined }, AnnotationForm.plain);
}

/** A per-secret family entry; `default` describes the value used when it is absent. */
export function perSecret<T>(input: EntryInput<T> & { default?: string }): AnnotationEntry<T, T | undefined> {
  return complete({ default: undefined, ...input }, AnnotationForm.perSecret);
}

/** A prefix family whose parameters are free-form. */
export function prefixMap<T>(input: EntryInput<T>): AnnotationEntry<T, T> {
  return complete({ ...input, default: undefined }, AnnotationForm.prefixMap);
}

function complete<T, V>(
  input: EntryInput<T> & { default?: string | undefined },
  form: AnnotationForm,
): AnnotationEntry<T, V> {
  return {
    extension: false,
    support: Support.supported,
    onInvalid: OnInvalid.error,
    ...input,
    default: input.default,
    form,
  };
}

/** The part of a family key before its placeholder: `agent-inject-secret-<name>` → `agent-inject-secret-`. */
export function familyPrefix(entry: Pick<AnnotationEntry, 'key'>): string {
  const at = entry.key.indexOf('<');
  return at < 0 ? entry.key : entry.key.slice(0, at);
}
