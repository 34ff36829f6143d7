/**
 * Turns a pod's annotations into a validated injection spec, reporting every problem at once.
 */
import { AnnotationSource, type InjectorDefaults } from './annotation-source.js';
import { CONNECTION_SCOPES } from './catalog-agent.js';
import {
  DEFAULT_ANNOTATION_PREFIX,
  plainAnnotations,
  prefixMapAnnotations,
  type PlainField,
  type PlainValues,
} from './catalog.js';
import { discoverSecrets, type SecretSpec } from './discover-secrets.js';
import { familyPrefix, Support, type AnnotationEntry } from './entry.js';
import { ProblemCollector, type AnnotationProblem } from './problems.js';
import { readPlainValues } from './read-plain.js';
import { readAuthConfig, readTelemetry } from './read-prefix-maps.js';

/** What the injector needs to know about a pod's injection, parsed and checked. */
export interface InjectionSpec extends PlainValues {
  /** Declared secrets, sorted by name. */
  secrets: SecretSpec[];
  /** `auth-config-*` parameters, dashes turned into underscores. */
  authConfig: Record<string, string>;
  /** `agent-telemetry-*` settings, typed. */
  telemetry: Record<string, unknown>;
}

export interface ParseOptions {
  /** @default 'vault.hashicorp.com/' */
  prefix?: string;
  /** Injector-wide defaults keyed by annotation key without prefix (e.g. `service`). */
  injectorDefaults?: InjectorDefaults;
}

export type ParseOutcome =
  | { ok: true; spec: InjectionSpec; warnings: AnnotationProblem[] }
  | { ok: false; errors: AnnotationProblem[]; warnings: AnnotationProblem[] };

/** vault-k8s's agent default when auth-max-backoff is not set. */
const AGENT_MAX_BACKOFF_MS = 300_000;

export function parseAnnotations(
  annotations: Readonly<Record<string, unknown>> | undefined,
  options: ParseOptions = {},
): ParseOutcome {
  const prefix = options.prefix ?? DEFAULT_ANNOTATION_PREFIX;
  const source = new AnnotationSource(annotations ?? {}, prefix);
  const problems = new ProblemCollector(prefix);
  for (const key of source.notStrings) problems.error(key, 'must be a string');

  const plain = readPlainValues(source, options.injectorDefaults ?? {}, problems);
  const spec: InjectionSpec = {
    ...plain,
    secrets: discoverSecrets(source, plain, problems),
    authConfig: readAuthConfig(source),
    telemetry: readTelemetry(source, problems),
  };
  checkSupport(source, spec, problems);
  checkConsistency(source, spec, problems);
  for (const key of source.unused()) {
    problems.warn(key, 'is not an annotation this injector knows; check its spelling');
  }

  const warnings = problems.warnings();
  return problems.hasErrors ? { ok: false, errors: problems.errors(), warnings } : { ok: true, spec, warnings };
}

/** Annotations we accept but cannot honour get a warning; those we must refuse get an error. */
function checkSupport(source: AnnotationSource, spec: InjectionSpec, problems: ProblemCollector): void {
  for (const [field, entry] of Object.entries(plainAnnotations) as [PlainField, AnnotationEntry][]) {
    if (entry.support === Support.supported || !source.has(entry.key)) continue;
    if (isDefault(entry, spec[field])) continue;
    const note = entry.note ?? '';
    if (entry.support === Support.unsupported) problems.error(entry.key, `is not supported by this injector. ${note}`.trim());
    else problems.warn(entry.key, `has no effect with this injector. ${note}`.trim());
  }
  const telemetry = prefixMapAnnotations.telemetry;
  for (const key of source.keysStartingWith(familyPrefix(telemetry))) {
    problems.warn(key, `has no effect with this injector. ${telemetry.note ?? ''}`.trim());
  }
}

function isDefault(entry: AnnotationEntry, value: unknown): boolean {
  if (value === undefined) return entry.default === undefined || entry.default === '';
  if (entry.default === undefined) return false;
  const parsed = entry.type.parse(entry.default);
  return parsed.ok && JSON.stringify(parsed.value) === JSON.stringify(value);
}

function checkConsistency(source: AnnotationSource, spec: InjectionSpec, problems: ProblemCollector): void {
  const minMs = spec.authMinBackoff;
  const maxMs = spec.authMaxBackoff ?? AGENT_MAX_BACKOFF_MS;
  if (minMs !== undefined && minMs > maxMs) {
    problems.error('auth-min-backoff', `must not be longer than auth-max-backoff (${maxMs / 1000}s)`);
  }
  for (const field of ['disableIdleConnections', 'disableKeepAlives'] as const) {
    const unknown = (spec[field] ?? []).filter((s) => !(CONNECTION_SCOPES as readonly string[]).includes(s));
    if (unknown.length > 0) {
      problems.warn(plainAnnotations[field].key, `lists unknown parts; known: ${CONNECTION_SCOPES.join(', ')}`);
    }
  }
  if (spec.prePopulate === false && spec.prePopulateOnly === true) {
    problems.warn('agent-pre-populate-only', 'with agent-pre-populate false, no agent container is injected at all');
  }
  // Required settings only matter for a pod that asks to be injected.
  if (spec.inject !== true) return;
  if (spec.service === undefined && !source.has('service') && spec.configMap === undefined) {
    problems.error('service', 'no Vault address: set this annotation or the injector\'s AGENT_INJECT_VAULT_ADDR');
  }
  const role = spec.role?.trim() || spec.authConfig['role']?.trim();
  if (spec.authType === 'kubernetes' && !role && spec.configMap === undefined) {
    problems.error('role', 'is required for kubernetes auth (or set auth-config-role)');
  }
  if (spec.secrets.length === 0 && !spec.injectToken) {
    problems.warn('agent-inject', 'no secret is declared (agent-inject-secret-<name> or agent-inject-template-<name>); the agent will only log in');
  }
}
