import * as z from 'zod';

/**
 * vault-k8s's `agent-telemetry-<param>` stanza. Keys keep vault-k8s's parameter names (the
 * annotation suffix with dashes turned into underscores) rather than our camelCase: they are a
 * pass-through vocabulary defined upstream, like `auth.extra`, and renaming thirty keys would
 * only add a mapping table. Values keep vault-k8s's types too (durations stay Go duration
 * strings), because the agent only passes them on or ignores them.
 *
 * Unknown keys are kept, not rejected: vault-k8s silently drops them, so existing pods carry
 * them, and the webhook warns about them instead of denying the pod. Upstream drops the whole
 * stanza on one type mismatch; here a mismatch is an error naming the key, so the webhook must
 * coerce values by this schema (reference §10 #6).
 */

const text = z.string({ error: 'expected a string' }).optional();
const flag = z.boolean({ error: 'expected a boolean' }).optional();
const count = z
  .number({ error: 'expected a whole number' })
  .int({ error: 'expected a whole number' })
  .min(0, { error: 'expected 0 or more' })
  .optional();
const textList = z.array(z.string({ error: 'expected a string' }), { error: 'expected an array of strings' }).optional();

export const telemetrySchema = z.looseObject({
  usage_gauge_period: text,
  maximum_gauge_cardinality: count,
  disable_hostname: flag,
  enable_hostname_label: flag,
  lease_metrics_epsilon: text,
  num_lease_metrics_buckets: count,
  add_lease_metrics_namespace_labels: flag,
  filter_default: flag,
  prefix_filter: textList,
  statsite_address: text,
  statsd_address: text,
  circonus_api_token: text,
  circonus_api_app: text,
  circonus_api_url: text,
  circonus_submission_interval: text,
  circonus_submission_url: text,
  circonus_check_id: text,
  circonus_check_force_metric_activation: flag,
  circonus_check_instance_id: text,
  circonus_check_search_tag: text,
  circonus_check_display_name: text,
  circonus_check_tags: text,
  circonus_broker_id: text,
  circonus_broker_select_tag: text,
  dogstatsd_addr: text,
  dogstatsd_tags: textList,
  prometheus_retention_time: text,
  stackdriver_project_id: text,
  stackdriver_location: text,
  stackdriver_namespace: text,
  stackdriver_debug_logs: flag,
});

export type TelemetryConfig = z.output<typeof telemetrySchema>;

/** The telemetry keys this schema types; anything else in `telemetry` is an unknown key to warn about. */
export const KNOWN_TELEMETRY_KEYS: readonly string[] = Object.keys(telemetrySchema.shape);
