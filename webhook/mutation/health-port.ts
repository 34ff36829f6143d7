/**
 * The port of the native sidecar's health endpoint. All containers of a pod share one network
 * namespace, so the agent must not listen where an app does: we skip every port a container
 * declares, and every numeric port its probes use (a listening port an app forgot to declare).
 */
import { isRecord } from './json-values.js';
import { allContainers, type PodView } from './pod-json.js';

/** @default 8191, the first port tried. */
export const DEFAULT_HEALTH_PORT = 8191;
const MAX_PORT = 65_535;
/** Where the search wraps to when the top is full: the first non-privileged port. */
const FIRST_UNPRIVILEGED_PORT = 1024;

export function chooseHealthPort(pod: PodView, first = DEFAULT_HEALTH_PORT): number | undefined {
  const taken = portsInUse(pod);
  for (let offset = 0; offset <= MAX_PORT - FIRST_UNPRIVILEGED_PORT; offset++) {
    const span = MAX_PORT - FIRST_UNPRIVILEGED_PORT + 1;
    const port = FIRST_UNPRIVILEGED_PORT + ((first - FIRST_UNPRIVILEGED_PORT + offset) % span);
    if (!taken.has(port)) return port;
  }
  return undefined;
}

function portsInUse(pod: PodView): Set<number> {
  const taken = new Set<number>();
  for (const { object } of allContainers(pod)) {
    for (const port of Array.isArray(object['ports']) ? object['ports'] : []) {
      if (isRecord(port) && typeof port['containerPort'] === 'number') taken.add(port['containerPort']);
    }
    for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
      const handler = object[probe];
      if (!isRecord(handler)) continue;
      for (const kind of ['httpGet', 'tcpSocket', 'grpc']) {
        const action = handler[kind];
        if (isRecord(action) && typeof action['port'] === 'number') taken.add(action['port']);
      }
    }
  }
  return taken;
}
