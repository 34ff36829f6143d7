import { describe, expect, it } from 'vitest';
import { injectable } from '../../../builders/annotations.js';
import { aConfigMapVolume, aContainer, aPod } from '../../../builders/pod.js';
import { injected, names, refused, type JsonObject } from './support.js';

const withSecrets = (extra: Record<string, string>) => aPod().annotated(injectable(extra));
const twoApps = (extra: Record<string, string>) =>
  withSecrets(extra).withContainers(aContainer('web'), aContainer('worker')).withInitContainers(aContainer('setup'));

describe('agent-inject-containers', () => {
  it('mounts the secrets volume in every app container and init container when unset', () => {
    const result = injected(twoApps({}).build());
    for (const name of ['web', 'worker', 'setup']) expect(result.mountsOf(name)['vault-secrets']).toBe('/vault/secrets');
  });

  it('mounts it only in the listed app containers, names trimmed; init containers always get it (vault-k8s)', () => {
    const result = injected(twoApps({ 'agent-inject-containers': ' worker , ' }).build());
    expect(result.mountsOf('web')['vault-secrets']).toBeUndefined();
    expect(result.mountsOf('worker')['vault-secrets']).toBe('/vault/secrets');
    expect(result.mountsOf('setup')['vault-secrets']).toBe('/vault/secrets');
    expect(result.warnings).toEqual([]);
  });

  it('warns about names that are no container of the pod', () => {
    const result = injected(twoApps({ 'agent-inject-containers': 'web,wrker,api' }).build());
    expect(result.mountsOf('web')['vault-secrets']).toBe('/vault/secrets');
    expect(result.warnings).toEqual(['vault.hashicorp.com/agent-inject-containers: names no container of the pod: wrker, api']);
  });

  it('warns that listing an init container changes nothing', () => {
    const result = injected(twoApps({ 'agent-inject-containers': 'web,setup' }).build());
    expect(result.warnings).toEqual([
      'vault.hashicorp.com/agent-inject-containers: names init containers (setup); init containers always get the secrets volume',
    ]);
  });

  it('mounts it in no app container when the list is empty (vault-k8s), with a warning', () => {
    const result = injected(twoApps({ 'agent-inject-containers': '' }).build());
    expect(result.mountsOf('web')['vault-secrets']).toBeUndefined();
    expect(result.mountsOf('worker')['vault-secrets']).toBeUndefined();
    expect(result.warnings).toEqual(['vault.hashicorp.com/agent-inject-containers: lists no container, so no app container gets the secrets volume']);
  });
});

describe('secret volume paths', () => {
  it('mounts the secrets volume at secret-volume-path', () => {
    const result = injected(withSecrets({ 'secret-volume-path': '/app/secrets' }).build());
    for (const name of ['app', 'vault-agent', 'vault-agent-init']) expect(result.mountsOf(name)['vault-secrets']).toBe('/app/secrets');
  });

  it('gives each distinct per-secret path its own memory volume, numbered in sorted order of the paths', () => {
    const result = injected(
      withSecrets({
        'agent-inject-secret-a': 'kv/a',
        'secret-volume-path-a': '/etc/zeta',
        'agent-inject-secret-b': 'kv/b',
        'secret-volume-path-b': '/etc/alpha',
        'agent-inject-secret-c': 'kv/c',
        'secret-volume-path-c': '/etc/alpha/',
      })
        .withInitContainers(aContainer('setup'))
        .build(),
    );
    expect(names(result.volumes)).toEqual([
      'kube-api-access-x7k2p',
      'home-init',
      'home-sidecar',
      'vault-secrets',
      'vault-secrets-custom-0',
      'vault-secrets-custom-1',
    ]);
    expect(result.volume('vault-secrets-custom-0')).toEqual({ name: 'vault-secrets-custom-0', emptyDir: { medium: 'Memory' } });
    for (const name of ['app', 'setup', 'vault-agent', 'vault-agent-init']) {
      expect(result.mountsOf(name)).toMatchObject({
        'vault-secrets': '/vault/secrets',
        'vault-secrets-custom-0': '/etc/alpha',
        'vault-secrets-custom-1': '/etc/zeta',
      });
    }
  });

  it('reuses vault-secrets for a per-secret path equal to the global one', () => {
    const result = injected(withSecrets({ 'secret-volume-path-db': '/vault/secrets/' }).build());
    expect(names(result.volumes).filter((n) => String(n).startsWith('vault-secrets'))).toEqual(['vault-secrets']);
  });

  it('adds nothing for agent-inject-token: the token file lands in the secrets volume the agents already mount', () => {
    const plain = injected(withSecrets({}).build());
    const withToken = injected(withSecrets({ 'agent-inject-token': 'true' }).build());
    expect(withToken.spec).toEqual(plain.spec);
  });
});

describe('Secrets mounted into the agents', () => {
  it.each([
    ['agent-extra-secret', { 'agent-extra-secret': 'templates' }, 'extra-secrets', '/vault/custom'],
    ['tls-secret', { 'tls-secret': 'vault-ca' }, 'vault-tls-secrets', '/vault/tls'],
  ])('%s becomes a Secret volume mounted read-only in both agents and no app container', (_name, extra, volume, path) => {
    const result = injected(withSecrets(extra).build());
    const secretName = Object.values(extra)[0];
    expect(result.volume(volume)).toEqual({ name: volume, secret: { secretName } });
    for (const agent of [result.container('vault-agent'), result.initContainer('vault-agent-init')]) {
      expect(agent['volumeMounts']).toContainEqual({ name: volume, mountPath: path, readOnly: true });
    }
    expect(result.mountsOf('app')[volume]).toBeUndefined();
  });
});

describe('agent-copy-volume-mounts', () => {
  const pod = (source: string) =>
    withSecrets({ 'agent-copy-volume-mounts': source })
      .withVolumes(aConfigMapVolume('config'), aConfigMapVolume('certs'), { name: 'scratch', emptyDir: {} })
      .withContainers(
        aContainer('web').mounting('config', '/etc/app', { readOnly: true }).mounting('certs', '/etc/certs', { subPath: 'tls' }),
      )
      .withInitContainers(aContainer('setup').mounting('scratch', '/home/vault').mounting('scratch', '/scratch'));

  it('copies the app container\'s mounts into both agents, as they are, except the service-account mount', () => {
    const result = injected(pod('web').build());
    for (const agent of ['vault-agent', 'vault-agent-init']) {
      const mounts = result.mountsOf(agent);
      expect(mounts).toMatchObject({ config: '/etc/app', certs: '/etc/certs' });
      const all = (agent === 'vault-agent' ? result.container(agent) : result.initContainer(agent))['volumeMounts'] as JsonObject[];
      expect(all).toContainEqual({ name: 'certs', mountPath: '/etc/certs', subPath: 'tls' });
      expect(all.filter((m) => m['mountPath'] === '/var/run/secrets/kubernetes.io/serviceaccount')).toHaveLength(1);
    }
  });

  it('copies an init container\'s mounts, skipping one at a path the agents already use', () => {
    const result = injected(pod('setup').build());
    const mounts = result.container('vault-agent')['volumeMounts'] as JsonObject[];
    expect(mounts.filter((m) => m['name'] === 'scratch')).toEqual([{ name: 'scratch', mountPath: '/scratch' }]);
    expect(mounts.filter((m) => m['mountPath'] === '/home/vault')).toEqual([{ name: 'home-sidecar', mountPath: '/home/vault' }]);
  });

  it('skips mounts whose path contains "serviceaccount" in any case (vault-k8s)', () => {
    const result = injected(
      withSecrets({ 'agent-copy-volume-mounts': 'web' })
        .withVolumes(aConfigMapVolume('odd'))
        .withContainers(aContainer('web').mounting('odd', '/opt/ServiceAccount/odd'))
        .build(),
    );
    expect(result.mountsOf('vault-agent')['odd']).toBeUndefined();
  });

  it('is refused when no container has that name', () => {
    expect(refused(pod('nope').build())).toEqual([
      { key: 'agent-copy-volume-mounts', message: 'names no container or init container of the pod (it has: web, setup)' },
    ]);
  });
});

describe('secret-volume-size-limit', () => {
  it('limits every memory volume injection adds', () => {
    const result = injected(withSecrets({ 'secret-volume-size-limit': '1Mi', 'agent-inject-secret-x': 'kv/x', 'secret-volume-path-x': '/etc/x' }).build());
    const emptyDirs = result.volumes.filter((v) => v['emptyDir'] !== undefined);
    expect(names(emptyDirs)).toEqual(['home-init', 'home-sidecar', 'vault-secrets', 'vault-secrets-custom-0']);
    for (const volume of emptyDirs) expect(volume['emptyDir']).toEqual({ medium: 'Memory', sizeLimit: '1Mi' });
  });

  it('can be an injector-wide default', () => {
    const result = injected(withSecrets({}).build(), { injectorDefaults: { 'secret-volume-size-limit': '512Ki' } });
    expect(result.volume('vault-secrets')['emptyDir']).toEqual({ medium: 'Memory', sizeLimit: '512Ki' });
  });

  it('is off by default (vault-k8s sets none)', () => {
    expect(injected(withSecrets({}).build()).volume('vault-secrets')['emptyDir']).toEqual({ medium: 'Memory' });
  });
});
