// Realistic AdmissionReviews for the benchmark: pods as the API server sends them to a mutating
// webhook (after ServiceAccount admission: projected token volume and mounts), with app
// containers carrying env vars, probes and resources, and vault-k8s annotations with
// consul-template templates. Three sizes: about 1 KiB, 10 KiB and 100 KiB of JSON.

export interface ReviewShape {
  label: string;
  containers: number;
  envPerContainer: number;
  secrets: number;
  /** Approximate length of each secret's template. */
  templateChars: number;
  /** Only the fields a bare `kubectl run` pod has (no owner, tolerations, resources). */
  minimal?: boolean;
}

export const REVIEW_SHAPES: readonly ReviewShape[] = [
  { label: '1 KiB', containers: 1, envPerContainer: 0, secrets: 1, templateChars: 0, minimal: true },
  { label: '10 KiB', containers: 3, envPerContainer: 10, secrets: 5, templateChars: 600 },
  { label: '100 KiB', containers: 8, envPerContainer: 40, secrets: 24, templateChars: 2_400 },
];

const P = 'vault.hashicorp.com/';

/**
 * A template of about `chars` characters reading one KV v2 secret, in the agent's handlebars
 * syntax (custom consul-template templates are denied until the Go-template engine lands).
 */
function template(name: string, chars: number): string {
  const head = `{{#with (secret "secret/data/apps/${name}")}}\n`;
  const lines: string[] = [];
  for (let i = 0; head.length + lines.join('').length < chars - 20; i++) {
    lines.push(`export ${name.toUpperCase().replace(/-/g, '_')}_KEY_${i}="{{Data.data.key_${i}}}"\n`);
  }
  return `${head}${lines.join('')}{{/with}}\n`;
}

function annotations(shape: ReviewShape): Record<string, string> {
  const result: Record<string, string> = {
    [`${P}agent-inject`]: 'true',
    [`${P}role`]: 'payments',
    [`${P}agent-inject-status`]: 'update',
  };
  if (shape.templateChars > 0) {
    Object.assign(result, {
      [`${P}agent-pre-populate`]: 'true',
      [`${P}agent-limits-cpu`]: '250m',
      [`${P}agent-limits-mem`]: '64Mi',
      [`${P}agent-requests-cpu`]: '50m',
      [`${P}agent-requests-mem`]: '32Mi',
      [`${P}agent-cache-enable`]: 'true',
      [`${P}tls-skip-verify`]: 'false',
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': '9102',
    });
  }
  for (let i = 0; i < shape.secrets; i++) {
    const name = `db-${i}`;
    result[`${P}agent-inject-secret-${name}`] = `secret/data/apps/${name}`;
    if (shape.templateChars > 0) result[`${P}agent-inject-template-${name}`] = template(name, shape.templateChars);
  }
  return result;
}

function container(index: number, shape: ReviewShape): Record<string, unknown> {
  const env = Array.from({ length: shape.envPerContainer }, (_, i) => ({ name: `SETTING_${index}_${i}`, value: `value-${i}-of-container-${index}-with-some-length` }));
  return {
    name: index === 0 ? 'app' : `sidecar-${index}`,
    image: `registry.example.com/team/app-${index}:1.42.${index}`,
    ...(shape.minimal
      ? {}
      : {
          ports: [{ name: 'http', containerPort: 8080 + index, protocol: 'TCP' }],
          env,
          resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '512Mi' } },
        }),
    ...(shape.envPerContainer > 0
      ? {
          readinessProbe: { httpGet: { path: '/ready', port: 8080 + index, scheme: 'HTTP' }, periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 },
          livenessProbe: { httpGet: { path: '/live', port: 8080 + index, scheme: 'HTTP' }, periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 },
        }
      : {}),
    volumeMounts: [{ name: 'kube-api-access-7xk2p', readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }],
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    imagePullPolicy: 'IfNotPresent',
  };
}

export function benchPod(shape: ReviewShape): Record<string, unknown> {
  if (shape.minimal) return minimalPod(shape);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: 'payments-api-7d9c5b6f4-',
      namespace: 'payments',
      labels: { app: 'payments-api', 'pod-template-hash': '7d9c5b6f4' },
      annotations: annotations(shape),
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'payments-api-7d9c5b6f4', uid: '5f0e6c1a-2b7e-4c55-9d4e-3a1f0b2c9d11', controller: true, blockOwnerDeletion: true }],
    },
    spec: {
      volumes: [
        {
          name: 'kube-api-access-7xk2p',
          projected: {
            sources: [
              { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
              { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
              { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
            ],
            defaultMode: 420,
          },
        },
      ],
      containers: Array.from({ length: shape.containers }, (_, i) => container(i, shape)),
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      serviceAccountName: 'payments',
      serviceAccount: 'payments',
      securityContext: {},
      schedulerName: 'default-scheduler',
      tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
      priority: 0,
      enableServiceLinks: true,
      preemptionPolicy: 'PreemptLowerPriority',
    },
    status: {},
  };
}

function minimalPod(shape: ReviewShape): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'payments', annotations: annotations(shape) },
    spec: {
      volumes: [{ name: 'kube-api-access-7xk2p', projected: { sources: [{ serviceAccountToken: { expirationSeconds: 3607, path: 'token' } }], defaultMode: 420 } }],
      containers: [container(0, shape)],
      serviceAccountName: 'default',
    },
  };
}

/** The AdmissionReview (v1) the API server would send for the pod of `shape`. */
export function benchReview(shape: ReviewShape, uid = 'b3d4f1e2-9c1a-4f5e-8d2b-7a6c5e4d3f21'): string {
  return JSON.stringify({
    kind: 'AdmissionReview',
    apiVersion: 'admission.k8s.io/v1',
    request: {
      uid,
      kind: { group: '', version: 'v1', kind: 'Pod' },
      resource: { group: '', version: 'v1', resource: 'pods' },
      namespace: 'payments',
      operation: 'CREATE',
      ...(shape.minimal
        ? { userInfo: { username: 'alice' } }
        : {
            requestKind: { group: '', version: 'v1', kind: 'Pod' },
            requestResource: { group: '', version: 'v1', resource: 'pods' },
            userInfo: { username: 'system:serviceaccount:kube-system:replicaset-controller', uid: 'a1b2c3d4', groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated'] },
            options: { kind: 'CreateOptions', apiVersion: 'meta.k8s.io/v1' },
          }),
      object: benchPod(shape),
      oldObject: null,
      dryRun: false,
    },
  });
}
