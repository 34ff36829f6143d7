import { describe, expect, it, vi } from 'vitest';
import type { AgentMode } from '../../../../contract/agent-config/index.js';
import type { PodFacts } from '../../../../webhook/mutation/index.js';
import { injectable } from '../../../builders/annotations.js';
import { aContainer, aPod, aProjectedTokenVolume, aSecretVolume, TOKEN_VOLUME } from '../../../builders/pod.js';
import { injected, refused, TEST_CONFIG_ENV, type InjectOptions, type JsonObject } from './support.js';

const DEFAULT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';

/** The agents' token mount and the token path handed to the config builder. */
function tokenOf(pod: JsonObject, options: InjectOptions = {}) {
  const seen: PodFacts[] = [];
  const agentConfigEnv = vi.fn((_mode: AgentMode, facts: PodFacts) => {
    seen.push(facts);
    return { ok: true as const, env: [TEST_CONFIG_ENV] };
  });
  const result = injected(pod, { ...options, agentConfigEnv });
  const agentMounts = (result.container('vault-agent')['volumeMounts'] as JsonObject[]).filter((m) => m['readOnly'] === true);
  return { mounts: agentMounts, tokenPath: seen[0]?.serviceAccountTokenPath, result };
}

describe('service-account token discovery', () => {
  it('uses the kube-api-access projected volume at the default path, read-only in the agents', () => {
    const { mounts, tokenPath, result } = tokenOf(aPod().annotated(injectable()).build());
    expect(mounts).toEqual([{ name: TOKEN_VOLUME, mountPath: DEFAULT_PATH, readOnly: true }]);
    expect(result.mountsOf('vault-agent-init')[TOKEN_VOLUME]).toBe(DEFAULT_PATH);
    expect(tokenPath).toBe(`${DEFAULT_PATH}/token`);
  });

  it('uses a legacy token Secret mounted at the default path', () => {
    const pod = aPod()
      .withoutServiceAccountToken()
      .annotated(injectable())
      .withVolumes(aSecretVolume('default-token-abcde'))
      .withContainers(aContainer('web').mounting('default-token-abcde', DEFAULT_PATH, { readOnly: true }))
      .build();
    const { mounts, tokenPath } = tokenOf(pod);
    expect(mounts).toEqual([{ name: 'default-token-abcde', mountPath: DEFAULT_PATH, readOnly: true }]);
    expect(tokenPath).toBe(`${DEFAULT_PATH}/token`);
  });

  it('takes the token file name from the projected source', () => {
    const pod = aPod()
      .withoutServiceAccountToken()
      .annotated(injectable())
      .withVolumes(aProjectedTokenVolume('sa', 'jwt'))
      .withContainers(aContainer('web').mounting('sa', DEFAULT_PATH))
      .build();
    expect(tokenOf(pod).tokenPath).toBe(`${DEFAULT_PATH}/jwt`);
  });

  it('prefers the default path over an earlier mount that merely contains "serviceaccount" (vault-k8s #335)', () => {
    const pod = aPod()
      .annotated(injectable())
      .withVolumes({ name: 'appdata', emptyDir: {} })
      .withContainers(aContainer('web').mounting('appdata', '/opt/app/serviceaccount/data'))
      .build();
    const { mounts, tokenPath, result } = tokenOf(pod);
    expect(mounts.map((m) => m['name'])).toEqual([TOKEN_VOLUME]);
    expect(tokenPath).toBe(`${DEFAULT_PATH}/token`);
    expect(result.warnings).toEqual([]);
  });

  it('falls back to vault-k8s\'s "serviceaccount" substring rule, with a warning', () => {
    const pod = aPod()
      .withoutServiceAccountToken()
      .annotated(injectable())
      .withVolumes({ name: 'appdata', emptyDir: {} })
      .withContainers(aContainer('web').mounting('appdata', '/opt/app/serviceaccount/data'))
      .build();
    const { mounts, tokenPath, result } = tokenOf(pod);
    expect(mounts).toEqual([{ name: 'appdata', mountPath: '/opt/app/serviceaccount/data', readOnly: true }]);
    expect(tokenPath).toBe('/opt/app/serviceaccount/data/token');
    expect(result.warnings).toEqual([
      'vault.hashicorp.com/agent-service-account-token-volume-name: using volume "appdata" as the service-account token, because its mount path contains "serviceaccount"; name the token volume here to choose it explicitly',
    ]);
  });

  it('does not look at init containers (as vault-k8s)', () => {
    const pod = aPod()
      .withoutServiceAccountToken()
      .annotated(injectable())
      .withVolumes(aProjectedTokenVolume('sa'))
      .withInitContainers(aContainer('setup').mounting('sa', DEFAULT_PATH))
      .build();
    expect(refused(pod)[0]?.message).toContain('no app container mounts a service-account token');
  });
});

describe('agent-service-account-token-volume-name', () => {
  const named = (volume = 'vault-token') => aPod().annotated(injectable({ 'agent-service-account-token-volume-name': volume }));

  it('reuses the mount path of an app container that mounts the volume', () => {
    const pod = named()
      .withVolumes(aProjectedTokenVolume('vault-token', 'vault-token'))
      .withContainers(aContainer('web').mounting('vault-token', '/var/run/secrets/vault'))
      .build();
    const { mounts, tokenPath } = tokenOf(pod);
    expect(mounts).toEqual([{ name: 'vault-token', mountPath: '/var/run/secrets/vault', readOnly: true }]);
    expect(tokenPath).toBe('/var/run/secrets/vault/vault-token');
  });

  it('mounts an unmounted volume at /var/run/secrets/vault.hashicorp.com/serviceaccount', () => {
    const pod = named().withVolumes(aProjectedTokenVolume('vault-token')).build();
    const { mounts, tokenPath } = tokenOf(pod);
    expect(mounts).toEqual([
      { name: 'vault-token', mountPath: '/var/run/secrets/vault.hashicorp.com/serviceaccount', readOnly: true },
    ]);
    expect(tokenPath).toBe('/var/run/secrets/vault.hashicorp.com/serviceaccount/token');
  });

  it('lets a pod with automountServiceAccountToken: false be injected', () => {
    const pod = named().withoutServiceAccountToken().withVolumes(aProjectedTokenVolume('vault-token')).build();
    expect(tokenOf(pod).tokenPath).toBe('/var/run/secrets/vault.hashicorp.com/serviceaccount/token');
  });

  it.each([
    ['the volume does not exist', named('missing').build(), 'the pod has no volume named "missing"'],
    [
      'the volume is not projected',
      named().withVolumes(aSecretVolume('vault-token')).build(),
      'volume "vault-token" is not a projected volume with a serviceAccountToken source that has a path',
    ],
    [
      'the projected volume has no token path',
      named().withVolumes({ name: 'vault-token', projected: { sources: [{ serviceAccountToken: { expirationSeconds: 600 } }] } }).build(),
      'volume "vault-token" is not a projected volume with a serviceAccountToken source that has a path',
    ],
  ])('is refused when %s', (_name, pod, message) => {
    expect(refused(pod)).toEqual([{ key: 'agent-service-account-token-volume-name', message }]);
  });
});

describe('a pod without any service-account token', () => {
  const noToken = (extra: Record<string, string> = {}) => aPod().withoutServiceAccountToken().annotated(injectable(extra));

  it('is refused for kubernetes auth, with the exact fix in the message', () => {
    const [problem, ...rest] = refused(noToken().build());
    expect(rest).toEqual([]);
    expect(problem?.key).toBeUndefined();
    expect(problem?.message).toContain('the pod sets automountServiceAccountToken: false');
    expect(problem?.message).toContain('vault.hashicorp.com/agent-service-account-token-volume-name');
    expect(problem?.message).toContain(
      'volumes: [{name: vault-token, projected: {sources: [{serviceAccountToken: {path: token, expirationSeconds: 3600}}]}}]',
    );
  });

  it('says nothing is mounted at the default path when automount is not the reason', () => {
    const pod = noToken().build();
    delete (pod['spec'] as JsonObject)['automountServiceAccountToken'];
    expect(refused(pod)[0]?.message).toContain(`nothing at ${DEFAULT_PATH}`);
  });

  it.each([
    ['auth-config-token-path points elsewhere', { 'auth-config-token-path': '/var/run/secrets/tokens/vault' }],
    ['the auth method is approle', { 'auth-type': 'approle' }],
    ['the auth method is cert', { 'auth-type': 'cert' }],
  ])('is injected without a token mount when %s', (_name, extra) => {
    const { mounts, tokenPath } = tokenOf(noToken(extra).build());
    expect(mounts).toEqual([]);
    expect(tokenPath).toBeUndefined();
  });
});
