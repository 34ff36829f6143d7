import { describe, expect, it } from 'vitest';
import { injectable } from '../../../builders/annotations.js';
import { aContainer, aPod } from '../../../builders/pod.js';
import { restrictedViolations, restrictedVolumeViolations } from './pod-security-restricted.js';
import { injected, refused, type JsonObject } from './support.js';

const RESTRICTED = {
  readOnlyRootFilesystem: true,
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

const securityContexts = (result: ReturnType<typeof injected>): unknown[] =>
  [result.initContainer('vault-agent-init'), result.container('vault-agent')].map((c) => c['securityContext']);

describe('the agents\' securityContext', () => {
  it.each([
    ['defaults', {}, {}, { runAsUser: 100, runAsGroup: 1000, runAsNonRoot: true, ...RESTRICTED }],
    ['agent-run-as-user and -group', { 'agent-run-as-user': '2000', 'agent-run-as-group': '3000' }, {}, { runAsUser: 2000, runAsGroup: 3000, runAsNonRoot: true, ...RESTRICTED }],
    ['agent-run-as-user 0 (root is the user\'s choice)', { 'agent-run-as-user': '0' }, {}, { runAsUser: 0, runAsGroup: 1000, runAsNonRoot: false, ...RESTRICTED }],
    ['agent-run-as-group 0', { 'agent-run-as-group': '0' }, {}, { runAsUser: 100, runAsGroup: 0, runAsNonRoot: false, ...RESTRICTED }],
    ['agent-set-security-context false', { 'agent-set-security-context': 'false' }, {}, undefined],
    ['the injector turning it off', {}, { 'agent-set-security-context': 'false' }, undefined],
    [
      'the injector turning it off, but the pod asking for a user',
      { 'agent-run-as-user': '2000' },
      { 'agent-set-security-context': 'false' },
      { runAsUser: 2000, runAsGroup: 1000, runAsNonRoot: true, ...RESTRICTED },
    ],
    [
      'the injector turning it off, but the pod asking for a group',
      { 'agent-run-as-group': '3000' },
      { 'agent-set-security-context': 'false' },
      { runAsUser: 100, runAsGroup: 3000, runAsNonRoot: true, ...RESTRICTED },
    ],
    [
      'the injector turning it off, but the pod asking for the app\'s user',
      { 'agent-run-as-same-user': 'true' },
      { 'agent-set-security-context': 'false' },
      { runAsUser: 1234, runAsGroup: 1000, runAsNonRoot: true, ...RESTRICTED },
    ],
    ['the pod turning it off explicitly, even with a user', { 'agent-set-security-context': 'false', 'agent-run-as-user': '2000' }, {}, undefined],
  ])('%s', (_name, extra, injectorDefaults, expected) => {
    const pod = aPod().annotated(injectable(extra)).withContainers(aContainer('web').runningAs(1234)).build();
    const result = injected(pod, { injectorDefaults });
    expect(securityContexts(result)).toEqual([expected, expected]);
  });

  it('warns that run-as annotations do nothing when the pod turns the security context off', () => {
    const pod = aPod().annotated(injectable({ 'agent-set-security-context': 'false', 'agent-run-as-user': '2000' })).build();
    expect(injected(pod).warnings).toEqual([
      'vault.hashicorp.com/agent-set-security-context: is false, so agent-run-as-user, -group and -same-user have no effect',
    ]);
  });
});

describe('agent-run-as-same-user', () => {
  const sameUser = (...containers: ReturnType<typeof aContainer>[]) =>
    aPod().annotated(injectable({ 'agent-run-as-same-user': 'true' })).withContainers(...containers);

  it('takes the first container\'s runAsUser', () => {
    const result = injected(sameUser(aContainer('web').runningAs(1234), aContainer('other').runningAs(999)).build());
    expect(securityContexts(result).map((c) => (c as JsonObject)['runAsUser'])).toEqual([1234, 1234]);
  });

  it('falls back to the pod-level runAsUser (vault-k8s ignores it, #261)', () => {
    const result = injected(sameUser(aContainer('web')).withSpec({ securityContext: { runAsUser: 4321 } }).build());
    expect(securityContexts(result).map((c) => (c as JsonObject)['runAsUser'])).toEqual([4321, 4321]);
  });

  it('prefers the container\'s user over the pod\'s', () => {
    const result = injected(sameUser(aContainer('web').runningAs(1234)).withSpec({ securityContext: { runAsUser: 4321 } }).build());
    expect(securityContexts(result).map((c) => (c as JsonObject)['runAsUser'])).toEqual([1234, 1234]);
  });

  it.each([
    ['there are no containers', sameUser(), 'the pod has no containers to take the user from'],
    ['no user is set', sameUser(aContainer('web')), 'neither the first container ("web") nor the pod sets securityContext.runAsUser'],
    ['the container runs as root', sameUser(aContainer('web').runningAs(0)), 'root (UID 0)'],
    ['the pod runs as root', sameUser(aContainer('web')).withSpec({ securityContext: { runAsUser: 0 } }), 'root (UID 0)'],
    ['the container has a securityContext without runAsUser', sameUser(aContainer('web').with({ securityContext: { privileged: false } })), 'nor the pod sets'],
  ])('is refused when %s', (_name, builder, message) => {
    const problems = refused(builder.build()).filter((p) => p.key === 'agent-run-as-same-user');
    expect(problems).toEqual([{ key: 'agent-run-as-same-user', message: expect.stringContaining(message) as string }]);
  });
});

describe('Pod Security "restricted"', () => {
  it.each([
    ['init container and sidecar', {}, ['vault-agent-init', 'vault-agent']],
    ['native sidecar', { 'agent-native-sidecar': 'true' }, ['vault-agent']],
    ['pre-populate only', { 'agent-pre-populate-only': 'true' }, ['vault-agent-init']],
  ])('is satisfied by the injected %s and volumes', (_name, extra, agents) => {
    const result = injected(aPod().annotated(injectable({ 'agent-extra-secret': 'extra', 'tls-secret': 'tls', ...extra })).build());
    const all = [...result.containers, ...result.initContainers].filter((c) => agents.includes(c['name'] as string));
    expect(all.map((c) => c['name'])).toEqual(expect.arrayContaining(agents));
    expect(all.flatMap((c) => restrictedViolations(result.pod, c))).toEqual([]);
    expect(restrictedVolumeViolations(result.volumes)).toEqual([]);
  });

  it('is not satisfied when the user asks for root', () => {
    const result = injected(aPod().annotated(injectable({ 'agent-run-as-user': '0' })).build());
    expect(restrictedViolations(result.pod, result.container('vault-agent'))).toEqual([
      'vault-agent: runAsNonRoot is not true',
      'vault-agent: runs as UID 0',
    ]);
  });

  it('is not satisfied without a security context', () => {
    const result = injected(aPod().annotated(injectable({ 'agent-set-security-context': 'false' })).build());
    expect(restrictedViolations(result.pod, result.container('vault-agent')).length).toBeGreaterThan(0);
  });
});
