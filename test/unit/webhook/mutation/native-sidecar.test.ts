import { describe, expect, it } from 'vitest';
import { injectable } from '../../../builders/annotations.js';
import { aContainer, aPod } from '../../../builders/pod.js';
import { fixture, injected, names, type JsonObject } from './support.js';

const native = (extra: Record<string, string> = {}) => aPod().annotated(injectable({ 'agent-native-sidecar': 'true', ...extra }));

describe('agent-native-sidecar', () => {
  it('injects one init container vault-agent that the kubelet keeps running, and no separate init container', () => {
    const result = injected(native().build());
    expect(names(result.initContainers)).toEqual(['vault-agent']);
    expect(names(result.containers)).toEqual(['app']);
    expect(names(result.volumes)).toEqual(['kube-api-access-x7k2p', 'home-sidecar', 'vault-secrets']);
    expect(result.injectionType).toBe('native_sidecar');
    const agent = result.initContainer('vault-agent');
    expect(agent['restartPolicy']).toBe('Always');
    expect(agent['lifecycle']).toEqual({});
    expect(agent['ports']).toEqual([{ containerPort: 8191, protocol: 'TCP' }]);
    expect(result.mountsOf('vault-agent')).toEqual({
      'home-sidecar': '/home/vault',
      'kube-api-access-x7k2p': '/var/run/secrets/kubernetes.io/serviceaccount',
      'vault-secrets': '/vault/secrets',
    });
  });

  it('holds the app back with a startupProbe on /readyz that outlasts the agent\'s init timeout', () => {
    const probe = injected(native().build()).initContainer('vault-agent')['startupProbe'];
    // agent-init-timeout defaults to 5m: 300 one-second periods, plus 30 s for the process to start.
    expect(probe).toEqual({ httpGet: { path: '/readyz', port: 8191 }, periodSeconds: 1, timeoutSeconds: 1, failureThreshold: 330 });
    const shorter = injected(native({ 'agent-init-timeout': '90s' }).build()).initContainer('vault-agent')['startupProbe'];
    expect((shorter as JsonObject)['failureThreshold']).toBe(120);
  });

  it('has no startupProbe with agent-pre-populate false, so the app starts without waiting', () => {
    const agent = injected(native({ 'agent-pre-populate': 'false' }).build()).initContainer('vault-agent');
    expect(agent['startupProbe']).toBeUndefined();
    expect(agent['restartPolicy']).toBe('Always');
  });

  const withNative = (builder: ReturnType<typeof aPod>) => builder.annotated(injectable({ 'agent-native-sidecar': 'true' })).build();
  it.each([
    ['a port another container declares', withNative(aPod().withContainers(aContainer('web').withPorts(8191, 8080))), 8192],
    ['a port only an init container declares', withNative(aPod().withInitContainers(aContainer('setup').withPorts(8191))), 8192],
    ['a port of an app probe', withNative(aPod().withContainers(aContainer('web').with({ livenessProbe: { tcpSocket: { port: 8191 } } }))), 8192],
    ['a declared port and the next one, which a readinessProbe uses', nativeFixture('deployment-pod.json'), 8193],
  ])('listens on a health port that avoids %s', (_name, pod, port) => {
    const agent = injected(pod).initContainer('vault-agent');
    expect(((agent['startupProbe'] as JsonObject)['httpGet'] as JsonObject)['port']).toBe(port);
    expect(agent['ports']).toEqual([{ containerPort: port, protocol: 'TCP' }]);
  });

  it('goes after existing init containers, or first with agent-init-first', () => {
    const last = injected(native().withInitContainers(aContainer('a'), aContainer('b')).build());
    expect(names(last.initContainers)).toEqual(['a', 'b', 'vault-agent']);
    const first = injected(native({ 'agent-init-first': 'true' }).withInitContainers(aContainer('a'), aContainer('b')).build());
    expect(names(first.initContainers)).toEqual(['vault-agent', 'a', 'b']);
    expect(first.ops).toContain('add /spec/initContainers/0');
  });

  it('can be the injector-wide default', () => {
    const result = injected(aPod().annotated(injectable()).build(), { injectorDefaults: { 'agent-native-sidecar': 'true' } });
    expect(result.injectionType).toBe('native_sidecar');
  });

  it('gives way to agent-pre-populate-only, with a warning when the pod asked for it', () => {
    const result = injected(native({ 'agent-pre-populate-only': 'true' }).build());
    expect(names(result.initContainers)).toEqual(['vault-agent-init']);
    expect(result.initContainer('vault-agent-init')['restartPolicy']).toBeUndefined();
    expect(result.injectionType).toBe('init_only');
    expect(result.warnings).toEqual([
      'vault.hashicorp.com/agent-native-sidecar: is ignored because agent-pre-populate-only asks for an agent that renders once and exits',
    ]);
  });

  it('gives way to agent-pre-populate-only silently when native sidecars are only the injector default', () => {
    const pod = aPod().annotated(injectable({ 'agent-pre-populate-only': 'true' })).build();
    const result = injected(pod, { injectorDefaults: { 'agent-native-sidecar': 'true' } });
    expect(result.injectionType).toBe('init_only');
    expect(result.warnings).toEqual([]);
  });

  it('takes agent-json-patch, and warns that agent-init-json-patch has nothing to apply to', () => {
    const result = injected(
      native({
        'agent-json-patch': '[{"op":"add","path":"/imagePullPolicy","value":"Always"}]',
        'agent-init-json-patch': '[{"op":"add","path":"/imagePullPolicy","value":"Never"}]',
      }).build(),
    );
    expect(result.initContainer('vault-agent')['imagePullPolicy']).toBe('Always');
    expect(result.warnings).toEqual([
      'vault.hashicorp.com/agent-init-json-patch: has no effect: a native sidecar has no separate init container; agent-json-patch applies to it',
    ]);
  });

  it('suits a Job: the pod\'s restartPolicy is left alone', () => {
    const result = injected(native().withSpec({ restartPolicy: 'Never' }).build());
    expect(result.spec['restartPolicy']).toBe('Never');
    expect(result.initContainer('vault-agent')['restartPolicy']).toBe('Always');
  });
});

function nativeFixture(name: string): JsonObject {
  const pod = fixture(name);
  const metadata = pod['metadata'] as JsonObject;
  metadata['annotations'] = { ...(metadata['annotations'] as JsonObject), 'vault.hashicorp.com/agent-native-sidecar': 'true' };
  return pod;
}
