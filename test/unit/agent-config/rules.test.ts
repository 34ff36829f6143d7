import { describe, expect, it } from 'vitest';
import { aTemplate, anAgentConfig, parseErrors, parsed } from './builders.js';

describe('rules between settings', () => {
  it.each([
    {
      name: 'a native sidecar without a health endpoint',
      config: anAgentConfig({ mode: 'native-sidecar' }),
      error: { path: 'health', message: expect.stringMatching(/required in native-sidecar mode/) },
    },
    {
      name: 'revoking on shutdown in init mode',
      config: anAgentConfig({ mode: 'init', revokeOnShutdown: true }),
      error: { path: 'revokeOnShutdown', message: expect.stringMatching(/not allowed in init mode/) },
    },
    {
      name: 'a cache without a listener',
      config: anAgentConfig({ cache: {} }),
      error: { path: 'cache', message: expect.stringMatching(/needs listener/) },
    },
    {
      name: 'metrics on the listener port',
      config: anAgentConfig({ listener: { address: '127.0.0.1:9000' }, metrics: { port: 9000 } }),
      error: { path: 'metrics.port', message: "port 9000 is also the listener's (127.0.0.1:9000)" },
    },
    {
      name: 'metrics and health on one port and path',
      config: anAgentConfig({ metrics: { port: 9102, path: '/x' }, health: { port: 9102, path: '/x' } }),
      error: { path: 'health.path', message: 'metrics and health are both served at port 9102 path /x' },
    },
    {
      name: 'a template rendered over a token sink',
      config: anAgentConfig({
        sinks: [{ path: '/home/vault/.vault-token' }, { path: '/vault/secrets/token' }],
        templates: [aTemplate({ name: 'token', destination: '/vault/secrets/token' })],
      }),
      error: { path: 'templates[0].destination', message: 'templates[0] ("token") renders /vault/secrets/token, where sinks[1] writes the token' },
    },
    {
      name: 'two sinks on one file',
      config: anAgentConfig({ sinks: [{ path: '/vault/secrets/token' }, { path: '/vault/secrets//token', mode: 0o600 }] }),
      error: { path: 'sinks[1].path', message: 'sinks[0] writes the same file /vault/secrets/token' },
    },
    {
      name: 'a listener on the pod IP',
      config: anAgentConfig({ listener: { address: '0.0.0.0:8200' } }),
      error: { path: 'listener.address', message: expect.stringMatching(/127\.0\.0\.1:<port>/) },
    },
  ])('rejects $name', ({ config, error }) => {
    expect(parseErrors(config)).toEqual([error]);
  });

  it('accepts a native sidecar with health, quit and a persistent cache', () => {
    const config = parsed(
      anAgentConfig({
        mode: 'native-sidecar',
        health: { port: 8081 },
        metrics: { port: 8081 },
        listener: { address: '[::1]:8200', enableQuit: true },
        cache: { useAutoAuthToken: 'force', persist: { exitOnError: true } },
        revokeOnShutdown: true,
        revokeGraceSeconds: 0,
        sinks: [{ path: '/home/vault/.vault-token' }, { path: '/vault/secrets/token', mode: 0o640 }],
      }),
    );
    expect(config.mode).toBe('native-sidecar');
  });

  it('accepts an empty sink list: the agent keeps its token in memory', () => {
    expect(parsed(anAgentConfig({ sinks: [] })).sinks).toEqual([]);
  });
});
