/**
 * The two prefix families: `auth-config-<param>` (login parameters) and
 * `agent-telemetry-<param>` (Vault Agent's telemetry stanza).
 */
import type { AnnotationSource } from './annotation-source.js';
import { prefixMapAnnotations } from './catalog.js';
import { familyPrefix } from './entry.js';
import type { ProblemCollector } from './problems.js';
import { goBool } from './value-types.js';

/** `auth-config-token-path` → `{ token_path: "…" }`; values stay strings, as in vault-k8s. */
export function readAuthConfig(source: AnnotationSource): Record<string, string> {
  const prefix = familyPrefix(prefixMapAnnotations.authConfig);
  const config: Record<string, string> = {};
  for (const key of source.keysStartingWith(prefix).sort()) {
    config[toParam(key.slice(prefix.length))] = source.take(key)!;
  }
  return config;
}

type TelemetryKind = 'string' | 'int' | 'bool' | 'list';

/** The typed telemetry settings Vault Agent knows; vault-k8s drops the stanza on any mismatch. */
const TELEMETRY_KINDS: Record<string, TelemetryKind> = {
  usage_gauge_period: 'string',
  maximum_gauge_cardinality: 'int',
  disable_hostname: 'bool',
  enable_hostname_label: 'bool',
  lease_metrics_epsilon: 'string',
  num_lease_metrics_buckets: 'int',
  add_lease_metrics_namespace_labels: 'bool',
  filter_default: 'bool',
  prefix_filter: 'list',
  statsite_address: 'string',
  statsd_address: 'string',
  circonus_api_token: 'string',
  circonus_api_app: 'string',
  circonus_api_url: 'string',
  circonus_submission_interval: 'string',
  circonus_submission_url: 'string',
  circonus_check_id: 'string',
  circonus_check_force_metric_activation: 'bool',
  circonus_check_instance_id: 'string',
  circonus_check_search_tag: 'string',
  circonus_check_display_name: 'string',
  circonus_check_tags: 'string',
  circonus_broker_id: 'string',
  circonus_broker_select_tag: 'string',
  dogstatsd_addr: 'string',
  dogstatsd_tags: 'list',
  prometheus_retention_time: 'string',
  stackdriver_project_id: 'string',
  stackdriver_location: 'string',
  stackdriver_namespace: 'string',
  stackdriver_debug_logs: 'bool',
};

/**
 * Telemetry settings coerced to their types. Unlike vault-k8s, a value that JSON-decodes to the
 * wrong type (`statsd_address: "8125"`) is coerced where that is lossless, and unknown or
 * uncoercible settings are reported instead of silently dropping the whole stanza.
 */
export function readTelemetry(source: AnnotationSource, problems: ProblemCollector): Record<string, unknown> {
  const prefix = familyPrefix(prefixMapAnnotations.telemetry);
  const telemetry: Record<string, unknown> = {};
  for (const key of source.keysStartingWith(prefix).sort()) {
    const param = toParam(key.slice(prefix.length));
    const raw = source.take(key)!;
    const kind = TELEMETRY_KINDS[param];
    if (kind === undefined) {
      problems.warn(key, `"${param}" is not a Vault Agent telemetry setting`);
      continue;
    }
    const value = coerce(kind, raw);
    if (value === undefined) problems.error(key, `expected ${describe(kind)}`);
    else telemetry[param] = value;
  }
  return telemetry;
}

function coerce(kind: TelemetryKind, raw: string): unknown {
  switch (kind) {
    case 'string':
      return raw;
    case 'int':
      return /^-?\d+$/.test(raw.trim()) ? Number(raw.trim()) : undefined;
    case 'bool': {
      const parsed = goBool.parse(raw.trim());
      return parsed.ok ? parsed.value : undefined;
    }
    case 'list':
      return parseList(raw);
  }
}

function parseList(raw: string): string[] | undefined {
  if (raw.trim().startsWith('[')) {
    try {
      const value: unknown = JSON.parse(raw);
      return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : undefined;
    } catch {
      return undefined;
    }
  }
  return raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

function describe(kind: TelemetryKind): string {
  return {
    string: 'a string',
    int: 'an integer',
    bool: 'a boolean',
    list: 'a JSON array of strings or a comma-separated list',
  }[kind];
}

function toParam(suffix: string): string {
  return suffix.replaceAll('-', '_');
}
