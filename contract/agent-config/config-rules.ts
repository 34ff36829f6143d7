import type { z } from 'zod';
import { AgentMode } from './mode.js';
import type { IssueList } from './refine-helpers.js';
import { fieldsParsed, parsedPath } from './refine-helpers.js';
import type { AgentConfigFields } from './schema.js';
import { listenerPort } from './schema-listener.js';

/**
 * Rules between top-level fields of a config. Each rule names the fields it reads and runs only
 * when those parsed, so a mistake in one field neither hides nor fakes an error in a rule.
 */

type Report = (path: PropertyKey[], message: string) => void;

interface ConfigRule {
  readonly reads: readonly (keyof AgentConfigFields)[];
  check(config: AgentConfigFields, report: Report, issues: IssueList): void;
}

const RULES: readonly ConfigRule[] = [
  {
    reads: ['mode', 'health'],
    check(config, report) {
      if (config.mode === AgentMode.nativeSidecar && config.health === undefined) {
        report(
          ['health'],
          'required in native-sidecar mode: the startupProbe polls it so the app starts after the first full render',
        );
      }
    },
  },
  {
    reads: ['mode', 'revokeOnShutdown'],
    check(config, report) {
      if (config.mode === AgentMode.init && config.revokeOnShutdown) {
        report(
          ['revokeOnShutdown'],
          'not allowed in init mode: the app keeps using the leases of the init container after it exits',
        );
      }
    },
  },
  {
    reads: ['cache', 'listener'],
    check(config, report) {
      if (config.cache !== undefined && config.listener === undefined) {
        report(['cache'], 'needs listener: the cache serves the API proxy on the listener address');
      }
    },
  },
  { reads: ['listener', 'metrics', 'health'], check: checkPorts },
  // Reads templates and sinks element by element, so one bad template does not switch it off.
  { reads: [], check: checkTemplatesAgainstSinks },
];

/** Two servers on one port fail at startup with EADDRINUSE; say so at admission instead. */
function checkPorts(config: AgentConfigFields, report: Report): void {
  const { listener, metrics, health } = config;
  const apiPort = listener === undefined ? undefined : listenerPort(listener.address);
  for (const [key, endpoint] of [['metrics', metrics], ['health', health]] as const) {
    if (endpoint !== undefined && endpoint.port === apiPort) {
      report([key, 'port'], `port ${endpoint.port} is also the listener's (${listener?.address})`);
    }
  }
  // One server may serve both metrics and health on a port, but not on the same path.
  if (metrics !== undefined && health !== undefined && metrics.port === health.port && metrics.path === health.path) {
    report(['health', 'path'], `metrics and health are both served at port ${health.port} path ${health.path}`);
  }
}

/** A template rendered over a token sink would replace the token with secret data, or the other way round. */
function checkTemplatesAgainstSinks(config: AgentConfigFields, report: Report, issues: IssueList): void {
  const { templates, sinks } = config;
  if (!Array.isArray(templates) || !Array.isArray(sinks)) return;
  const sinkIndexByPath = new Map<string, number>();
  sinks.forEach((sink, index) => {
    const path = parsedPath(issues, sink, ['sinks', index], 'path');
    if (path !== undefined) sinkIndexByPath.set(path, index);
  });
  templates.forEach((template, index) => {
    const destination = parsedPath(issues, template, ['templates', index], 'destination');
    if (destination === undefined) return;
    const sinkIndex = sinkIndexByPath.get(destination);
    if (sinkIndex !== undefined) {
      report(
        ['templates', index, 'destination'],
        `templates[${index}] (${JSON.stringify(template.name)}) renders ${destination}, where sinks[${sinkIndex}] writes the token`,
      );
    }
  });
}

/** Runs every rule whose fields parsed; used as the top-level `superRefine`. */
export function applyConfigRules(
  config: AgentConfigFields,
  ctx: z.core.$RefinementCtx<AgentConfigFields>,
): void {
  const report: Report = (path, message) => ctx.addIssue({ code: 'custom', path, message });
  for (const rule of RULES) {
    if (fieldsParsed(ctx, ...rule.reads)) rule.check(config, report, ctx);
  }
}
