/**
 * The demo's Kubernetes side: the example Deployment's pod, as the API server would hand it to
 * the webhook (ServiceAccount admission already ran), sent as an AdmissionReview over HTTPS.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { request } from 'node:https';
import jsonpatch from 'fast-json-patch';
import { parse } from 'yaml';
import { findPodTemplate } from '../../cli/pod-templates.js';
import { addServiceAccountVolume } from '../../cli/service-account-admission.js';

export type Json = Record<string, unknown>;

export interface AdmissionResult {
  pod: Json;
  patchedPod: Json;
  patch: jsonpatch.Operation[];
  warnings: string[];
}

/** The example's pod, named and placed as the ReplicaSet controller would create it. */
export async function examplePod(file: string, withDatabase: boolean): Promise<Json> {
  const deployment = parse(await readFile(file, 'utf8')) as Json;
  const found = findPodTemplate(deployment);
  if (!found.ok) throw new Error(`${file} ${found.message}`);
  const metadata = found.pod['metadata'] as Json;
  const annotations = { ...(metadata['annotations'] as Record<string, string>) };
  if (!withDatabase) {
    for (const key of Object.keys(annotations)) if (key.endsWith('-db.env')) delete annotations[key];
  }
  const namespace = ((deployment['metadata'] as Json)['namespace'] as string | undefined) ?? 'default';
  return addServiceAccountVolume({
    apiVersion: 'v1',
    kind: 'Pod',
    ...found.pod,
    metadata: { ...metadata, annotations, namespace, generateName: 'orders-5d8f7c9b6-' },
  });
}

export async function admitOverHttps(url: string, ca: string, pod: Json): Promise<AdmissionResult> {
  const uid = randomUUID();
  const review = {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid,
      kind: { group: '', version: 'v1', kind: 'Pod' },
      resource: { group: '', version: 'v1', resource: 'pods' },
      namespace: (pod['metadata'] as Json)['namespace'],
      operation: 'CREATE',
      object: pod,
    },
  };
  const body = await post(`${url}/mutate`, ca, JSON.stringify(review));
  const response = (JSON.parse(body) as { response?: Json }).response ?? {};
  if (response['uid'] !== uid) throw new Error('the webhook answered for another request');
  if (response['allowed'] !== true) throw new Error(`the webhook denied the pod: ${JSON.stringify(response['status'])}`);
  const patch = response['patch'] ? (JSON.parse(Buffer.from(response['patch'] as string, 'base64').toString('utf8')) as jsonpatch.Operation[]) : [];
  const patchedPod = jsonpatch.applyPatch(structuredClone(pod), patch, true, false).newDocument as Json;
  return { pod, patchedPod, patch, warnings: (response['warnings'] as string[] | undefined) ?? [] };
}

function post(url: string, ca: string, payload: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', ca, headers: { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => (res.statusCode === 200 ? resolve(text) : reject(new Error(`HTTP ${res.statusCode}: ${text}`))));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** One line per container and volume, with mounts: what the patch did to the pod. */
export function summarizePatchedPod(result: AdmissionResult): string[] {
  const spec = result.patchedPod['spec'] as { containers: Json[]; initContainers?: Json[]; volumes?: Json[] };
  const describe = (c: Json) => {
    const mounts = ((c['volumeMounts'] as Json[] | undefined) ?? []).map((m) => `${m['name']}→${m['mountPath']}`).join(', ');
    const restart = c['restartPolicy'] === 'Always' ? ' (native sidecar)' : '';
    return `${c['name']}${restart}: ${mounts || 'no mounts'}`;
  };
  return [
    `patch: ${result.patch.length} operations`,
    ...(spec.initContainers ?? []).map((c) => `init container ${describe(c)}`),
    ...spec.containers.map((c) => `container ${describe(c)}`),
    `volumes: ${(spec.volumes ?? []).map((v) => v['name']).join(', ')}`,
    ...(result.warnings.length > 0 ? result.warnings.map((w) => `warning: ${w}`) : ['warnings: none']),
  ];
}

/** The environment the webhook gave one agent container (its literal `value`s). */
export function containerEnv(pod: Json, name: string): Record<string, string> {
  const spec = pod['spec'] as { containers: Json[]; initContainers?: Json[] };
  const container = [...(spec.initContainers ?? []), ...spec.containers].find((c) => c['name'] === name);
  if (!container) throw new Error(`the patched pod has no container ${name}`);
  const env: Record<string, string> = {};
  for (const variable of (container['env'] as Json[] | undefined) ?? []) {
    if (typeof variable['value'] === 'string') env[variable['name'] as string] = variable['value'];
  }
  return env;
}
