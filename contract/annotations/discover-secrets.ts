/**
 * Finds the secrets a pod asks for and reads each one's companion annotations, following
 * vault-k8s's discovery rules, then sorts them by name so the result never depends on map order.
 */
import { posix } from 'node:path';
import type { AnnotationSource } from './annotation-source.js';
import { DEFAULT_SECRETS_PATH } from './catalog-injection.js';
import { perSecretAnnotations, type PlainValues } from './catalog.js';
import { familyPrefix, OnInvalid, type AnnotationEntry } from './entry.js';
import { compare, type ProblemCollector } from './problems.js';

export type TemplateEngineChoice = 'auto' | 'go' | 'handlebars';

/** Where a secret's template comes from. */
export type TemplateSource =
  | { kind: 'inline'; contents: string }
  | { kind: 'file'; path: string }
  | { kind: 'default'; format: 'map' | 'json'; vaultPath: string };

export interface SecretSpec {
  /** The name as written in the annotation keys (companions are looked up with it). */
  name: string;
  /** File name used when no agent-inject-file is given: the name, lower-cased unless preserved. */
  fileName: string;
  /** Value of agent-inject-secret-<name>, when set. */
  vaultPath: string | undefined;
  template: TemplateSource;
  /** Mount path of the volume the file lives in. */
  volumePath: string;
  /** Absolute path of the rendered file inside that volume. */
  destination: string;
  perms: number | undefined;
  command: string | undefined;
  leftDelimiter: string;
  rightDelimiter: string;
  errorOnMissingKey: boolean;
  engine: TemplateEngineChoice;
}

type PerSecretField = keyof typeof perSecretAnnotations;

/** The annotation families that declare a secret, in vault-k8s's matching order. */
const DECLARING: PerSecretField[] = ['secret', 'templateFile', 'template'];

export function discoverSecrets(
  source: AnnotationSource,
  plain: PlainValues,
  problems: ProblemCollector,
): SecretSpec[] {
  const names = new Set<string>();
  const claimed = new Set<string>();
  for (const field of DECLARING) {
    const prefix = familyPrefix(perSecretAnnotations[field]);
    for (const key of source.keysStartingWith(prefix)) {
      if (claimed.has(key)) continue; // `template-file-x` is secret x, never secret `file-x`
      claimed.add(key);
      if (source.take(key)!.trim() === '') {
        problems.warn(key, 'is blank, so it declares no secret');
        continue;
      }
      names.add(key.slice(prefix.length));
    }
  }
  const secrets = [...names].sort(compare).map((name) => readSecret(name, source, plain, problems));
  reportOrphans(source, names, problems);
  checkDestinations(secrets, source, plain, problems);
  return secrets;
}

function readSecret(name: string, source: AnnotationSource, plain: PlainValues, problems: ProblemCollector): SecretSpec {
  const read = <T>(field: PerSecretField): T | undefined => readCompanion<T>(perSecretAnnotations[field], name, source, problems);
  const vaultPath = blankToUndefined(read<string>('secret'));
  const inline = blankToUndefined(read<string>('template'));
  const file = read<string>('templateFile');
  const preserve = read<boolean>('preserveCase') ?? plain.preserveSecretCase ?? false;
  // An invalid secret-volume-path is already reported; carry on with the default to find more problems.
  const volumePath = read<string>('volumePath') ?? plain.secretVolumePath ?? DEFAULT_SECRETS_PATH;
  const fileName = preserve ? name : name.toLowerCase();
  const destination = resolveDestination(name, volumePath, read<string>('file') ?? fileName, problems);

  let template: TemplateSource;
  if (inline !== undefined) {
    template = { kind: 'inline', contents: inline };
    if (file !== undefined) problems.warn(`agent-inject-template-file-${name}`, 'is ignored: the inline template wins');
  } else if (file !== undefined) {
    template = { kind: 'file', path: file };
  } else {
    template = { kind: 'default', format: plain.defaultTemplate ?? 'map', vaultPath: vaultPath ?? '' };
  }
  return {
    name,
    fileName,
    vaultPath,
    template,
    volumePath,
    destination,
    perms: read<number>('perms'),
    command: blankToUndefined(read<string>('command')),
    leftDelimiter: read<string>('leftDelimiter') || '{{',
    rightDelimiter: read<string>('rightDelimiter') || '}}',
    errorOnMissingKey: read<boolean>('errorOnMissingKey') ?? false,
    engine: read<TemplateEngineChoice>('engine') ?? plain.templateEngine ?? 'auto',
  };
}

function readCompanion<T>(
  entry: AnnotationEntry,
  name: string,
  source: AnnotationSource,
  problems: ProblemCollector,
): T | undefined {
  const key = familyPrefix(entry) + name;
  const raw = source.take(key);
  if (raw === undefined) return undefined;
  const parsed = entry.type.parse(raw);
  if (parsed.ok) return parsed.value as T;
  if (entry.onInvalid === OnInvalid.warnAndDefault) {
    problems.warn(key, `expected ${parsed.expected}; the default applies`);
  } else {
    problems.error(key, `expected ${parsed.expected}`);
  }
  return undefined;
}

/** `agent-inject-file` is always inside the volume, even when written as an absolute path. */
function resolveDestination(name: string, volumePath: string, file: string, problems: ProblemCollector): string {
  const joined = posix.join(volumePath, file.trim());
  const inside = posix.relative(volumePath, joined);
  if (inside === '' || inside.startsWith('..') || file.includes('\0')) {
    problems.error(`agent-inject-file-${name}`, `must name a file inside the secrets volume ${volumePath}`);
  }
  return joined;
}

/** Companion annotations whose secret is not declared do nothing; say so instead of ignoring them. */
function reportOrphans(source: AnnotationSource, names: Set<string>, problems: ProblemCollector): void {
  for (const [field, entry] of Object.entries(perSecretAnnotations) as [PerSecretField, AnnotationEntry][]) {
    if (DECLARING.includes(field)) continue;
    const prefix = familyPrefix(entry);
    for (const key of source.keysStartingWith(prefix)) {
      if (!source.isUsed(key) && !names.has(key.slice(prefix.length))) {
        source.take(key);
        problems.warn(key, `applies to no secret: no agent-inject-secret-, -template- or -template-file- annotation declares "${key.slice(prefix.length)}"`);
      }
    }
  }
}

function checkDestinations(
  secrets: SecretSpec[],
  source: AnnotationSource,
  plain: PlainValues,
  problems: ProblemCollector,
): void {
  const owners = new Map<string, string>();
  if (plain.injectToken && plain.secretVolumePath) owners.set(posix.join(plain.secretVolumePath, 'token'), 'agent-inject-token');
  for (const secret of secrets) {
    const owner = owners.get(secret.destination);
    if (owner === undefined) {
      owners.set(secret.destination, `secret "${secret.name}"`);
    } else {
      const key = source.has(`agent-inject-file-${secret.name}`) ? 'agent-inject-file-' : 'agent-inject-secret-';
      problems.error(
        key + secret.name,
        `writes to ${secret.destination}, which ${owner} already writes; give one of them another agent-inject-file`,
      );
    }
  }
}

function blankToUndefined(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
