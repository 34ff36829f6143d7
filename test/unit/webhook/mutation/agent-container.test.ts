import { describe, expect, it } from 'vitest';
import { injectable } from '../../../builders/annotations.js';
import { aContainer, aPod } from '../../../builders/pod.js';
import { injected, refused, TEST_CONFIG_ENV, type JsonObject } from './support.js';

const agentsOf = (extra: Record<string, string>, options = {}) => {
  const result = injected(aPod().annotated(injectable(extra)).build(), options);
  return { result, init: result.initContainer('vault-agent-init'), sidecar: result.container('vault-agent') };
};

describe('agent resources', () => {
  it.each([
    ['the defaults', {}, {}, { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '250m', memory: '64Mi' } }],
    [
      'annotations, ephemeral storage included',
      { 'agent-limits-cpu': '1', 'agent-limits-mem': '1Gi', 'agent-limits-ephemeral': '2G', 'agent-requests-cpu': '10m', 'agent-requests-mem': '16Mi', 'agent-requests-ephemeral': '1G' },
      {},
      { limits: { cpu: '1', memory: '1Gi', 'ephemeral-storage': '2G' }, requests: { cpu: '10m', memory: '16Mi', 'ephemeral-storage': '1G' } },
    ],
    ['"" removing an entry', { 'agent-limits-cpu': '', 'agent-requests-mem': '' }, {}, { limits: { memory: '128Mi' }, requests: { cpu: '250m' } }],
    [
      '"" removing every entry',
      { 'agent-limits-cpu': '', 'agent-limits-mem': '', 'agent-requests-cpu': '', 'agent-requests-mem': '' },
      {},
      {},
    ],
    ['injector defaults', {}, { 'agent-requests-cpu': '5m', 'agent-limits-mem': '' }, { limits: { cpu: '500m' }, requests: { cpu: '5m', memory: '64Mi' } }],
  ])('come from %s, identical for both agents', (_name, extra, injectorDefaults, expected) => {
    const { init, sidecar } = agentsOf(extra, { injectorDefaults });
    expect(sidecar['resources']).toEqual(expected);
    expect(init['resources']).toEqual(expected);
  });

  it.each([
    ['cpu', { 'agent-requests-cpu': '1' }, 'agent-requests-cpu', 'agent-limits-cpu'],
    ['memory', { 'agent-requests-mem': '1Gi', 'agent-limits-mem': '1000Mi' }, 'agent-requests-mem', 'agent-limits-mem'],
    ['ephemeral storage', { 'agent-requests-ephemeral': '2e9', 'agent-limits-ephemeral': '1G' }, 'agent-requests-ephemeral', 'agent-limits-ephemeral'],
  ])('refuse a %s request above its limit, naming both keys', (name, extra, key, limitKey) => {
    const problems = refused(aPod().annotated(injectable(extra)).build());
    expect(problems).toEqual([{ key, message: `the ${name === 'ephemeral storage' ? 'ephemeral-storage' : name} request is above the limit set by ${limitKey}; Kubernetes refuses that` }]);
  });
});

describe('agent image, command and environment', () => {
  it('runs agent-image with the vault-injector agent command in both agents', () => {
    const { init, sidecar } = agentsOf({ 'agent-image': 'registry.example/agent:9' });
    for (const agent of [init, sidecar]) {
      expect(agent['image']).toBe('registry.example/agent:9');
      expect(agent['command']).toEqual(['vault-injector', 'agent']);
      expect(agent['args']).toBeUndefined();
    }
  });

  it('puts HTTPS_PROXY between the downward-API variables and the config for proxy-address', () => {
    const { sidecar } = agentsOf({ 'proxy-address': 'http://proxy.example:3128' });
    expect((sidecar['env'] as JsonObject[]).map((e) => e['name'])).toEqual(['NAMESPACE', 'HOST_IP', 'POD_IP', 'HTTPS_PROXY', TEST_CONFIG_ENV.name]);
    expect(sidecar['env']).toContainEqual({ name: 'HTTPS_PROXY', value: 'http://proxy.example:3128' });
  });
});

describe('agent-revoke-on-shutdown', () => {
  it('needs no preStop hook: the agent revokes on SIGTERM itself', () => {
    const { sidecar, init } = agentsOf({ 'agent-revoke-on-shutdown': 'true' });
    expect(sidecar['lifecycle']).toEqual({});
    expect(init['lifecycle']).toBeUndefined();
  });

  it.each([
    ['the default 30 s grace period and 5 s revoke grace', {}, {}, []],
    [
      'a grace period no longer than the revoke grace',
      { 'agent-revoke-grace': '30' },
      {},
      ['vault.hashicorp.com/agent-revoke-grace: is not shorter than the pod\'s terminationGracePeriodSeconds (30s), so the agent may be killed before it revokes its token; raise terminationGracePeriodSeconds'],
    ],
    [
      'a short terminationGracePeriodSeconds',
      {},
      { terminationGracePeriodSeconds: 3 },
      ['vault.hashicorp.com/agent-revoke-grace: is not shorter than the pod\'s terminationGracePeriodSeconds (3s), so the agent may be killed before it revokes its token; raise terminationGracePeriodSeconds'],
    ],
  ])('with %s warns as needed', (_name, extra, spec, warnings) => {
    const pod = aPod().annotated(injectable({ 'agent-revoke-on-shutdown': 'true', ...extra })).withSpec(spec).build();
    expect(injected(pod).warnings).toEqual(warnings);
  });

  it('does not warn without revoke-on-shutdown', () => {
    const pod = aPod().annotated(injectable()).withSpec({ terminationGracePeriodSeconds: 0 }).build();
    expect(injected(pod).warnings).toEqual([]);
  });
});

describe('agent-json-patch and agent-init-json-patch', () => {
  it.each([['null'], ['[]'], ['']])('%j changes nothing', (patch) => {
    const plain = injected(aPod().annotated(injectable()).build());
    const patched = injected(aPod().annotated(injectable({ 'agent-json-patch': patch, 'agent-init-json-patch': patch })).build());
    expect(patched.spec).toEqual(plain.spec);
  });

  it('patches the sidecar and the init container separately', () => {
    const { init, sidecar } = agentsOf({
      'agent-json-patch': '[{"op":"replace","path":"/resources/limits/memory","value":"256Mi"},{"op":"add","path":"/imagePullPolicy","value":"Always"}]',
      'agent-init-json-patch': '[{"op":"remove","path":"/resources/limits"}]',
    });
    expect(sidecar['resources']).toEqual({ limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '250m', memory: '64Mi' } });
    expect(sidecar['imagePullPolicy']).toBe('Always');
    expect(init['resources']).toEqual({ requests: { cpu: '250m', memory: '64Mi' } });
    expect(init['imagePullPolicy']).toBeUndefined();
  });

  it('may rename the containers (vault-k8s allows it)', () => {
    const result = injected(
      aPod()
        .annotated(
          injectable({
            'agent-json-patch': '[{"op":"replace","path":"/name","value":"secrets-agent"}]',
            'agent-init-json-patch': '[{"op":"replace","path":"/name","value":"secrets-init"}]',
          }),
        )
        .build(),
    );
    expect(result.container('secrets-agent')['image']).toBeDefined();
    expect(result.initContainer('secrets-init')['image']).toBeDefined();
  });

  it.each([
    ['remove of a missing member', 'agent-json-patch', '[{"op":"remove","path":"/doesNotExist"}]', 'operation 0 (remove /doesNotExist) does not apply to the generated container: its path does not exist in the container'],
    [
      'a failing test',
      'agent-init-json-patch',
      '[{"op":"add","path":"/tty","value":true},{"op":"test","path":"/image","value":"SECRET-CANARY"}]',
      'operation 1 (test /image) does not apply to the generated container: the "test" found a different value',
    ],
    ['an add below a missing parent', 'agent-json-patch', '[{"op":"add","path":"/a/b","value":1}]', 'operation 0 (add /a/b) does not apply to the generated container: its path cannot be added to (the parent does not exist)'],
    ['removing the name', 'agent-json-patch', '[{"op":"remove","path":"/name"}]', 'leaves the container without a name'],
  ])('refuses %s with the operation and the reason, never the value', (_name, key, patch, message) => {
    const problems = refused(aPod().annotated(injectable({ [key]: patch })).build());
    expect(problems).toEqual([{ key, message }]);
    expect(JSON.stringify(problems)).not.toContain('SECRET-CANARY');
  });

  it('refuses a rename onto a container the pod has', () => {
    const pod = aPod()
      .annotated(injectable({ 'agent-json-patch': '[{"op":"replace","path":"/name","value":"web"}]' }))
      .withContainers(aContainer('web'))
      .build();
    expect(refused(pod)[0]?.message).toContain('the pod already has a container named "web"');
  });

  it('refuses two injected containers with one name', () => {
    const pod = aPod().annotated(injectable({ 'agent-init-json-patch': '[{"op":"replace","path":"/name","value":"vault-agent"}]' })).build();
    expect(refused(pod)).toEqual([
      { message: 'two injected containers would be named "vault-agent"; check agent-json-patch and agent-init-json-patch' },
    ]);
  });

  it('warns when the targeted container is not injected', () => {
    const result = injected(aPod().annotated(injectable({ 'agent-pre-populate-only': 'true', 'agent-json-patch': '[{"op":"add","path":"/tty","value":true}]' })).build());
    expect(result.warnings).toEqual(['vault.hashicorp.com/agent-json-patch: has no effect: no sidecar is injected']);
    const noInit = injected(aPod().annotated(injectable({ 'agent-pre-populate': 'false', 'agent-init-json-patch': '[{"op":"add","path":"/tty","value":true}]' })).build());
    expect(noInit.warnings).toEqual(['vault.hashicorp.com/agent-init-json-patch: has no effect: no init container is injected']);
  });
});
