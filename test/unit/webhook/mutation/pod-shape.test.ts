import { describe, expect, it } from 'vitest';
import { injectable } from '../../../builders/annotations.js';
import { aContainer, aPod } from '../../../builders/pod.js';
import { fixture, inject, injected, refused, specOf, type JsonObject } from './support.js';

const spec = specOf(aPod().annotated(injectable()).build());
const podWith = (specFields: JsonObject): JsonObject => ({ metadata: { name: 'p', annotations: {} }, spec: specFields });
const app = { name: 'app', volumeMounts: [{ name: 'sa', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }] };

describe('pods injection cannot patch', () => {
  it.each([
    ['null', null, 'the object is not a pod: expected a JSON object'],
    ['a string', 'pod', 'the object is not a pod: expected a JSON object'],
    ['an array', [], 'the object is not a pod: expected a JSON object'],
    ['no spec', { metadata: {} }, 'the pod has no spec object'],
    ['a null spec', { spec: null }, 'the pod has no spec object'],
    ['metadata that is not an object', { metadata: 'x', spec: { containers: [app] } }, 'the pod metadata is not an object'],
    ['annotations that are not an object', { metadata: { annotations: [] }, spec: { containers: [app] } }, 'the pod metadata.annotations is not an object'],
    ['containers that are not a list', podWith({ containers: {} }), 'spec.containers is not a list'],
    ['init containers that are not a list', podWith({ containers: [app], initContainers: 'x' }), 'spec.initContainers is not a list'],
    ['volumes that are not a list', podWith({ containers: [app], volumes: 7 }), 'spec.volumes is not a list'],
    ['a container without a name', podWith({ containers: [{ image: 'x' }] }), 'spec.containers[0] has no name'],
    ['a container that is not an object', podWith({ containers: [app, 'x'] }), 'spec.containers[1] has no name'],
    ['an init container with an empty name', podWith({ containers: [app], initContainers: [{ name: '' }] }), 'spec.initContainers[0] has no name'],
    [
      'volume mounts that are not a list',
      podWith({ containers: [app, { name: 'web', volumeMounts: 'x' }] }),
      'spec.containers[1] (web) volumeMounts is not a list',
    ],
  ])('%s is refused with a message, not an exception', (_name, pod, message) => {
    const before = structuredClone(pod);
    const result = inject(pod as JsonObject, {}, spec);
    expect(result).toEqual({ ok: false, problems: [{ message }] });
    expect(pod).toEqual(before);
  });

  it('reports every broken container at once', () => {
    const result = inject(podWith({ containers: [{}, { name: 'a', volumeMounts: {} }] }), {}, spec);
    expect(result.ok ? [] : result.problems.map((p) => p.message)).toEqual([
      'spec.containers[0] has no name',
      'spec.containers[1] (a) volumeMounts is not a list',
    ]);
  });
});

describe('pods injection tolerates', () => {
  it('a pod without metadata: the status annotation comes with it', () => {
    const result = injected({ spec: { containers: [app], volumes: [{ name: 'sa', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } }] } }, {}, spec);
    expect(result.patch).toContainEqual({ op: 'add', path: '/metadata', value: { annotations: { 'vault.hashicorp.com/agent-inject-status': 'injected' } } });
  });

  it('null lists, as JSON from other clients may carry them', () => {
    const result = injected(podWith({ containers: [{ ...app }], initContainers: null, volumes: null }), {}, spec);
    expect(result.ops).toEqual(expect.arrayContaining(['replace /spec/volumes', 'replace /spec/initContainers']));
  });

  it('mounts and volumes that are not objects, leaving them alone', () => {
    const pod = podWith({ containers: [{ ...app, volumeMounts: [...app.volumeMounts, 'odd'] }], volumes: ['odd'] });
    const result = inject(pod, {}, spec);
    expect(result.ok).toBe(true);
  });

  it('fields this injector does not know, kept as they are', () => {
    const pod = aPod().annotated(injectable()).withSpec({ 'x-future-field': { a: [1, 2] } }).withContainers(aContainer('web').with({ 'x-new': true })).build();
    const result = injected(pod);
    expect(result.spec['x-future-field']).toEqual({ a: [1, 2] });
    expect(result.container('web')['x-new']).toBe(true);
  });
});

describe('name clashes', () => {
  it('does not inject a pod twice: an injected pod without its status annotation is refused', () => {
    const once = injected(fixture('deployment-pod.json'));
    const annotations = (once.pod['metadata'] as JsonObject)['annotations'] as JsonObject;
    delete annotations['vault.hashicorp.com/agent-inject-status'];
    expect(refused(once.pod).map((p) => p.message)).toEqual([
      'the pod already has a container named "vault-agent-init"; was it injected before? Remove the injected containers and volumes, or the agent-inject annotation',
      'the pod already has a container named "vault-agent"; was it injected before? Remove the injected containers and volumes, or the agent-inject annotation',
      'the pod already has volumes named "home-init", "home-sidecar", "vault-secrets", "vault-secrets-custom-0", which injection adds; was it injected before?',
    ]);
  });

  it.each([
    ['a container vault-agent', aPod().withContainers(aContainer('app'), aContainer('vault-agent')), 'container named "vault-agent"'],
    ['an init container vault-agent-init', aPod().withInitContainers(aContainer('vault-agent-init')), 'container named "vault-agent-init"'],
    ['an init container vault-agent (a native sidecar)', aPod().withInitContainers(aContainer('vault-agent')), 'container named "vault-agent"'],
    ['a volume vault-secrets', aPod().withVolumes({ name: 'vault-secrets', emptyDir: {} }), 'volumes named "vault-secrets"'],
    ['a volume home-init', aPod().withVolumes({ name: 'home-init', emptyDir: {} }), 'volumes named "home-init"'],
  ])('refuses a pod that already has %s', (_name, builder, message) => {
    const problems = refused(builder.annotated(injectable()).build());
    expect(problems.map((p) => p.message).join('\n')).toContain(message);
  });

  it('does not mind our names where injection does not add them', () => {
    const pod = aPod().annotated(injectable({ 'agent-pre-populate': 'false' })).withVolumes({ name: 'home-init', emptyDir: {} }).build();
    expect(injected(pod).volume('home-init')).toEqual({ name: 'home-init', emptyDir: {} });
  });

  it('refuses an app container that already mounts something at the secrets path', () => {
    const pod = aPod()
      .annotated(injectable())
      .withVolumes({ name: 'data', emptyDir: {} })
      .withContainers(aContainer('web').mounting('data', '/vault/secrets/'))
      .build();
    expect(refused(pod)).toEqual([
      { key: 'secret-volume-path', message: 'container "web" already mounts a volume at the path of injected volume "vault-secrets"' },
    ]);
  });

  it('does not mind that path in an app container the secrets are not mounted in', () => {
    const pod = aPod()
      .annotated(injectable({ 'agent-inject-containers': 'app' }))
      .withVolumes({ name: 'data', emptyDir: {} })
      .withContainers(aContainer('app'), aContainer('web').mounting('data', '/vault/secrets'))
      .build();
    expect(injected(pod).mountsOf('web')).toMatchObject({ data: '/vault/secrets' });
  });

  it('refuses a token volume the agents would mount where the secrets go', () => {
    const pod = aPod()
      .annotated(injectable({ 'agent-service-account-token-volume-name': 'tok' }))
      .withVolumes({ name: 'tok', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } })
      .withContainers(aContainer('app'), aContainer('other').mounting('tok', '/vault/secrets'))
      .build();
    expect(refused(pod).map((p) => p.message)).toContain('the agents would mount volumes "tok" and "vault-secrets" at the same path');
  });
});

describe('agent-share-process-namespace', () => {
  const pod = (annotation: string | undefined, existing?: boolean, extra: Record<string, string> = {}) =>
    aPod()
      .annotated(injectable({ ...(annotation === undefined ? {} : { 'agent-share-process-namespace': annotation }), ...extra }))
      .withSpec(existing === undefined ? {} : { shareProcessNamespace: existing })
      .build();

  it.each([
    ['true', undefined, {}, 'add /spec/shareProcessNamespace', true],
    ['false', undefined, {}, 'add /spec/shareProcessNamespace', false],
    ['true', undefined, { 'agent-pre-populate': 'false' }, 'add /spec/shareProcessNamespace', true],
    ['true', true, {}, undefined, true],
    [undefined, undefined, {}, undefined, undefined],
    [undefined, false, {}, undefined, false],
  ])('annotation %s on a pod with %s (%j)', (annotation, existing, extra, op, value) => {
    const result = injected(pod(annotation, existing, extra));
    expect(result.spec['shareProcessNamespace']).toBe(value);
    expect(result.ops.filter((o) => o.includes('shareProcessNamespace'))).toEqual(op ? [op] : []);
  });

  it.each([
    ['true', false],
    ['false', true],
  ])('refuses annotation %s on a pod that says %s', (annotation, existing) => {
    expect(refused(pod(annotation, existing))).toEqual([
      {
        key: 'agent-share-process-namespace',
        message: `conflicts with the pod's own spec.shareProcessNamespace: ${String(existing)}; remove one of them`,
      },
    ]);
  });
});
