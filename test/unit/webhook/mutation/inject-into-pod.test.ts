import { describe, expect, it, vi } from 'vitest';
import { AgentMode } from '../../../../contract/agent-config/index.js';
import type { PodFacts } from '../../../../webhook/mutation/index.js';
import { annotations, injectable } from '../../../builders/annotations.js';
import { aContainer, aPod } from '../../../builders/pod.js';
import { fixture, inject, injected, names, refused, TEST_CONFIG_ENV, type JsonObject } from './support.js';

const DEFAULT_SECURITY_CONTEXT = {
  runAsUser: 100,
  runAsGroup: 1000,
  runAsNonRoot: true,
  readOnlyRootFilesystem: true,
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

describe('a pod with vault-k8s default annotations', () => {
  it('gets the worked example patch of the reference: three volumes, a mount, the init container, the sidecar, the status', () => {
    const result = injected(fixture('worked-example.json'));
    expect(result.ops).toEqual([
      'add /metadata/annotations/vault.hashicorp.com~1agent-inject-status',
      'add /spec/containers/-',
      'add /spec/containers/0/volumeMounts/-',
      'add /spec/volumes/-',
      'add /spec/volumes/-',
      'add /spec/volumes/-',
      'add /spec/initContainers',
    ]);
    expect(names(result.volumes)).toEqual(['kube-api-access-x', 'home-init', 'home-sidecar', 'vault-secrets']);
    expect(result.volume('vault-secrets')).toEqual({ name: 'vault-secrets', emptyDir: { medium: 'Memory' } });
    expect(result.injectionType).toBe('init_and_sidecar');
    expect(result.warnings).toEqual([]);
  });

  it('gets a sidecar vault-agent running our agent with the config env, default resources and a restricted security context', () => {
    const result = injected(fixture('worked-example.json'));
    expect(result.container('vault-agent')).toEqual({
      name: 'vault-agent',
      image: 'ghcr.io/vault-injector/agent:0.1.0',
      command: ['vault-injector', 'agent'],
      env: [
        { name: 'NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
        { name: 'HOST_IP', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } },
        { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
        TEST_CONFIG_ENV,
      ],
      resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '250m', memory: '64Mi' } },
      volumeMounts: [
        { name: 'home-sidecar', mountPath: '/home/vault' },
        { name: 'kube-api-access-x', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true },
        { name: 'vault-secrets', mountPath: '/vault/secrets' },
      ],
      securityContext: DEFAULT_SECURITY_CONTEXT,
      lifecycle: {},
    });
  });

  it('gets an init container vault-agent-init like the sidecar but with its own home and no lifecycle', () => {
    const result = injected(fixture('worked-example.json'));
    const init = result.initContainer('vault-agent-init');
    expect(init['lifecycle']).toBeUndefined();
    expect(init['restartPolicy']).toBeUndefined();
    expect(result.mountsOf('vault-agent-init')).toEqual({
      'home-init': '/home/vault',
      'kube-api-access-x': '/var/run/secrets/kubernetes.io/serviceaccount',
      'vault-secrets': '/vault/secrets',
    });
  });

  it('is marked injected with the status annotation', () => {
    const metadata = injected(fixture('worked-example.json')).pod['metadata'] as JsonObject;
    expect((metadata['annotations'] as JsonObject)['vault.hashicorp.com/agent-inject-status']).toBe('injected');
  });

  it('replaces a status other than injected (vault-k8s re-injects "update")', () => {
    const result = injected(aPod().annotated(injectable({ 'agent-inject-status': 'update' })).build());
    expect(result.ops).toContain('replace /metadata/annotations/vault.hashicorp.com~1agent-inject-status');
  });

  it('writes the status under another annotation prefix when the injector uses one', () => {
    const prefix = 'secrets.example.com/';
    const pod = aPod().annotated(annotations({ 'agent-inject': 'true', role: 'app', service: 'https://vault:8200' }, prefix)).build();
    const result = injected(pod, { prefix });
    expect(result.ops).toContain('add /metadata/annotations/secrets.example.com~1agent-inject-status');
  });
});

describe('the vault-k8s handler test pod (init web-init, container web, no volumes)', () => {
  it('gets spec.volumes in one add, never re-added (the upstream /spec/volumes replace bug)', () => {
    const result = injected(fixture('vault-k8s-handler-base.json'));
    expect(result.ops).toEqual([
      'add /metadata/annotations/vault.hashicorp.com~1agent-inject-status',
      'add /spec/initContainers/-',
      'add /spec/initContainers/0/volumeMounts/-',
      'add /spec/containers/-',
      'add /spec/containers/0/volumeMounts/-',
      'add /spec/volumes',
    ]);
    expect(names(result.volumes)).toEqual(['home-init', 'home-sidecar', 'vault-secrets']);
  });
});

describe('array shapes in the patch', () => {
  // Pods without a service-account token, so that no volume or mount exists unless the row adds it.
  const bare = () =>
    aPod()
      .withoutServiceAccountToken()
      .annotated(injectable({ 'auth-config-token-path': '/var/run/secrets/tokens/vault' }));

  it.each([
    ['absent spec.volumes', bare(), '/spec/volumes', ['add /spec/volumes']],
    ['empty spec.volumes', bare().withVolumes(), '/spec/volumes', ['add /spec/volumes/-', 'add /spec/volumes/-', 'add /spec/volumes/-']],
    [
      'non-empty spec.volumes',
      bare().withVolumes({ name: 'data', emptyDir: {} }),
      '/spec/volumes',
      ['add /spec/volumes/-', 'add /spec/volumes/-', 'add /spec/volumes/-'],
    ],
    ['absent spec.initContainers', bare(), '/spec/initContainers', ['add /spec/initContainers']],
    ['empty spec.initContainers', bare().withInitContainers(), '/spec/initContainers', ['add /spec/initContainers/-']],
    [
      'an init container without volumeMounts',
      bare().withInitContainers(aContainer('setup')),
      '/spec/initContainers',
      ['add /spec/initContainers/-', 'add /spec/initContainers/0/volumeMounts'],
    ],
    [
      'an init container with empty volumeMounts',
      bare().withInitContainers(aContainer('setup').with({ volumeMounts: [] })),
      '/spec/initContainers',
      ['add /spec/initContainers/-', 'add /spec/initContainers/0/volumeMounts/-'],
    ],
    ['a container without volumeMounts', bare(), '/spec/containers/0', ['add /spec/containers/0/volumeMounts']],
    [
      'a container with empty volumeMounts',
      bare().withContainers(aContainer('app').with({ volumeMounts: [] })),
      '/spec/containers/0',
      ['add /spec/containers/0/volumeMounts/-'],
    ],
    [
      'a container with volumeMounts',
      bare().withContainers(aContainer('app').mounting('data', '/data')),
      '/spec/containers/0',
      ['add /spec/containers/0/volumeMounts/-'],
    ],
  ])('%s gets the right kind of add', (_name, builder, path, expected) => {
    const result = injected(builder.build());
    expect(result.ops.filter((op) => op === `add ${path}` || op.startsWith(`add ${path}/`))).toEqual(expected);
  });

  it('never replaces or removes anything the pod had', () => {
    const result = injected(fixture('deployment-pod.json'));
    expect(result.patch.filter((op) => op.op !== 'add')).toEqual([]);
  });
});

describe('agent-init-first', () => {
  const pod = (initFirst: string, ...inits: ReturnType<typeof aContainer>[]) =>
    aPod().annotated(injectable({ 'agent-init-first': initFirst })).withInitContainers(...inits).build();

  it('puts vault-agent-init first with one add at index 0, leaving the others in place', () => {
    const result = injected(pod('true', aContainer('a'), aContainer('b')));
    expect(names(result.initContainers)).toEqual(['vault-agent-init', 'a', 'b']);
    expect(result.ops).toContain('add /spec/initContainers/0');
    expect(result.ops).toContain('add /spec/initContainers/1/volumeMounts/-');
    expect(result.ops).toContain('add /spec/initContainers/2/volumeMounts/-');
    expect(result.ops.filter((op) => op.startsWith('add /spec/initContainers/0/'))).toEqual([]);
  });

  it('adds the init container list when the pod has none', () => {
    const result = injected(aPod().annotated(injectable({ 'agent-init-first': 'true' })).build());
    expect(names(result.initContainers)).toEqual(['vault-agent-init']);
    expect(result.ops).toContain('add /spec/initContainers');
  });

  it('adds a volumeMounts list to an existing init container that has none', () => {
    const result = injected(
      aPod()
        .withoutServiceAccountToken()
        .annotated(injectable({ 'agent-init-first': 'true', 'auth-config-token-path': '/t/token' }))
        .withInitContainers(aContainer('a'))
        .build(),
    );
    expect(result.ops).toEqual(expect.arrayContaining(['add /spec/initContainers/0', 'add /spec/initContainers/1/volumeMounts']));
    expect(result.mountsOf('a')).toEqual({ 'vault-secrets': '/vault/secrets' });
  });

  it('appends vault-agent-init after the others by default', () => {
    const result = injected(pod('false', aContainer('a'), aContainer('b')));
    expect(names(result.initContainers)).toEqual(['a', 'b', 'vault-agent-init']);
    expect(result.ops).toContain('add /spec/initContainers/-');
  });
});

describe('agent-pre-populate × agent-pre-populate-only', () => {
  it.each([
    ['true', 'false', ['vault-agent-init'], ['app', 'vault-agent'], ['home-init', 'home-sidecar', 'vault-secrets'], 'init_and_sidecar'],
    ['false', 'false', [], ['app', 'vault-agent'], ['home-sidecar', 'vault-secrets'], 'sidecar_only'],
    ['true', 'true', ['vault-agent-init'], ['app'], ['home-init', 'vault-secrets'], 'init_only'],
    ['false', 'true', [], ['app'], ['vault-secrets'], 'none'],
  ])('pre-populate %s, pre-populate-only %s', (prePopulate, only, inits, containers, volumes, type) => {
    const result = injected(
      aPod().annotated(injectable({ 'agent-pre-populate': prePopulate, 'agent-pre-populate-only': only })).build(),
    );
    expect(names(result.initContainers)).toEqual(inits);
    expect(names(result.containers)).toEqual(containers);
    expect(names(result.volumes)).toEqual(['kube-api-access-x7k2p', ...volumes]);
    expect(result.injectionType).toBe(type);
    // Even with no agent at all (vault-k8s's degenerate case), the app gets the volume and the pod the status.
    expect(result.mountsOf('app')['vault-secrets']).toBe('/vault/secrets');
    expect(result.ops).toContain('add /metadata/annotations/vault.hashicorp.com~1agent-inject-status');
  });
});

describe('the agent configuration builder', () => {
  it('is called once per agent with its mode and what the mutation found out about the pod', () => {
    const agentConfigEnv = vi.fn((_mode: AgentMode, _facts: PodFacts) => ({ ok: true as const, env: [TEST_CONFIG_ENV] }));
    injected(aPod().annotated(injectable()).withContainers(aContainer('web').runningAs(1234)).build(), { agentConfigEnv });
    const facts = { serviceAccountTokenPath: '/var/run/secrets/kubernetes.io/serviceaccount/token', healthPort: undefined, runAsUser: 100 };
    expect(agentConfigEnv.mock.calls).toEqual([
      [AgentMode.init, facts],
      [AgentMode.sidecar, facts],
    ]);
  });

  it('gets the native-sidecar mode, the health port and the same user with those annotations', () => {
    const agentConfigEnv = vi.fn((_mode: AgentMode, _facts: PodFacts) => ({ ok: true as const, env: [TEST_CONFIG_ENV] }));
    const pod = aPod()
      .annotated(injectable({ 'agent-native-sidecar': 'true', 'agent-run-as-same-user': 'true' }))
      .withContainers(aContainer('web').runningAs(1234))
      .build();
    injected(pod, { agentConfigEnv });
    expect(agentConfigEnv.mock.calls).toEqual([
      [AgentMode.nativeSidecar, { serviceAccountTokenPath: '/var/run/secrets/kubernetes.io/serviceaccount/token', healthPort: 8191, runAsUser: 1234 }],
    ]);
  });

  it('refusing a configuration refuses the pod with its message', () => {
    const problems = refused(aPod().annotated(injectable()).build(), {
      agentConfigEnv: () => ({ ok: false, message: 'the agent configuration is too large' }),
    });
    expect(problems).toEqual([{ message: 'the agent configuration is too large' }]);
  });
});

describe('determinism', () => {
  it('gives byte-identical output for the same pod, whatever the annotation order', () => {
    const pod = fixture('deployment-pod.json');
    const metadata = pod['metadata'] as JsonObject;
    const reversed = { ...pod, metadata: { ...metadata, annotations: Object.fromEntries(Object.entries(metadata['annotations'] as JsonObject).reverse()) } };
    const first = inject(pod);
    const again = inject(structuredClone(pod));
    expect(JSON.stringify(again)).toBe(JSON.stringify(first));
    const fromReversed = inject(reversed);
    if (!first.ok || !fromReversed.ok) throw new Error('expected injections');
    expect(JSON.stringify((fromReversed.pod as JsonObject)['spec'])).toBe(JSON.stringify((first.pod as JsonObject)['spec']));
  });
});
