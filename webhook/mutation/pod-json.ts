/**
 * A checked, editable view of the pod: what was wrong with its shape, and references into a
 * copy of the pod where edits land. The API server validates pods after the webhooks, so
 * anything may arrive here; we read only what injection needs and refuse shapes we cannot patch
 * sensibly.
 *
 * The copy is made on write: every object and list injection edits (the pod, its metadata and
 * annotations, its spec, the container, init container and volume lists, each container and its
 * mounts) is copied, everything else is shared with the input. The input is never modified, and
 * the diff skips shared parts at once (`===`), which keeps a 10 KiB pod's patch cheap.
 */
import type { JsonObject } from './k8s-shapes.js';
import { isRecord } from './json-values.js';
import type { MutationReport } from './mutation-problems.js';

export interface ContainerView {
  name: string;
  /** The container object inside the copy. */
  object: JsonObject;
  /** `spec.containers[3]`, for messages. */
  where: string;
  /** Its volume mounts that are objects (others are left alone). */
  mounts: JsonObject[];
}

export interface PodView {
  root: JsonObject;
  annotations: JsonObject;
  spec: JsonObject;
  containers: ContainerView[];
  initContainers: ContainerView[];
  /** Volumes that are objects. */
  volumes: JsonObject[];
}

export function readPod(pod: unknown, report: MutationReport): PodView | undefined {
  if (!isRecord(pod)) {
    report.problem('the object is not a pod: expected a JSON object');
    return undefined;
  }
  const root = { ...pod };
  const annotations = readAnnotations(root, report);
  const spec = isRecord(root['spec']) ? { ...root['spec'] } : undefined;
  if (!spec) {
    report.problem('the pod has no spec object');
    return undefined;
  }
  root['spec'] = spec;
  const containers = readContainers(spec, 'containers', report);
  const initContainers = readContainers(spec, 'initContainers', report);
  const volumes = editableList(spec, 'volumes', 'spec.volumes', report);
  if (!annotations || !containers || !initContainers || !volumes) return undefined;
  return { root, annotations, spec, containers, initContainers, volumes: volumes.filter(isRecord) };
}

/** `metadata.annotations`, created when absent (a pod to inject always has some, but be safe). */
function readAnnotations(root: JsonObject, report: MutationReport): JsonObject | undefined {
  const metadata = root['metadata'] ?? {};
  if (!isRecord(metadata)) {
    report.problem('the pod metadata is not an object');
    return undefined;
  }
  const annotations = metadata['annotations'] ?? {};
  if (!isRecord(annotations)) {
    report.problem('the pod metadata.annotations is not an object');
    return undefined;
  }
  const copy = { ...annotations };
  root['metadata'] = { ...metadata, annotations: copy };
  return copy;
}

function readContainers(
  spec: JsonObject,
  field: 'containers' | 'initContainers',
  report: MutationReport,
): ContainerView[] | undefined {
  const items = editableList(spec, field, `spec.${field}`, report);
  if (!items) return undefined;
  const views: ContainerView[] = [];
  let complete = true;
  items.forEach((item, index) => {
    const where = `spec.${field}[${index}]`;
    if (!isRecord(item) || typeof item['name'] !== 'string' || item['name'] === '') {
      report.problem(`${where} has no name`);
      complete = false;
      return;
    }
    const object = { ...item };
    items[index] = object;
    const mounts = editableList(object, 'volumeMounts', `${where} (${item['name']}) volumeMounts`, report);
    if (!mounts) complete = false;
    else views.push({ name: item['name'], object, where, mounts: mounts.filter(isRecord) });
  });
  return complete ? views : undefined;
}

/**
 * A list member, copied into `owner` so it can be edited: `[]` (and nothing written) when absent
 * or null, `undefined` and a problem when present but not a list.
 */
function editableList(owner: JsonObject, field: string, what: string, report: MutationReport): unknown[] | undefined {
  const value = owner[field];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    report.problem(`${what} is not a list`);
    return undefined;
  }
  const copy = [...value];
  owner[field] = copy;
  return copy;
}

/** Appends to a list member, creating the list when absent. */
export function appendTo(owner: JsonObject, field: string, ...items: unknown[]): void {
  const list = owner[field];
  if (Array.isArray(list)) list.push(...items);
  else owner[field] = [...items];
}

export function stringField(object: JsonObject, field: string): string | undefined {
  const value = object[field];
  return typeof value === 'string' ? value : undefined;
}

/** Every container of the pod, app containers first. */
export function allContainers(pod: PodView): ContainerView[] {
  return [...pod.containers, ...pod.initContainers];
}
