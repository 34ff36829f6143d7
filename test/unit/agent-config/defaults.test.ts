import { describe, expect, it } from 'vitest';
import { exitsAfterAuth, resolveJwtReadPeriodMs } from '../../../contract/agent-config/index.js';
import { aTemplate, anAgentConfig, parsed } from './builders.js';

describe('AgentConfig defaults', () => {
  it('fills every optional setting of a minimal config with the documented default', () => {
    const config = parsed(anAgentConfig());

    expect(config.vault).toEqual({
      address: 'https://vault.vault.svc:8200',
      tlsSkipVerify: false,
      requestTimeoutMs: 60_000,
      maxRetries: 2,
    });
    expect(config.auth).toEqual({
      method: 'kubernetes',
      role: 'app',
      mountPath: 'auth/kubernetes',
      tokenPath: '/var/run/secrets/kubernetes.io/serviceaccount/token',
      minBackoffMs: 1_000,
      maxBackoffMs: 300_000,
      exitOnError: false,
      extra: {},
    });
    expect(config.sinks).toEqual([{ path: '/home/vault/.vault-token', mode: 0o640 }]);
    expect(config.templateConfig).toEqual({
      staticSecretRenderIntervalMs: 300_000,
      exitOnRetryFailure: true,
      maxConnectionsPerHost: 10,
      leaseRenewalThreshold: 0.9,
      initTimeoutMs: 300_000,
      retry: { attempts: 12, backoffMs: 250, maxBackoffMs: 60_000 },
    });
    expect(config.revokeOnShutdown).toBe(false);
    expect(config.revokeGraceSeconds).toBe(5);
    expect(config.log).toEqual({ level: 'info', format: 'standard' });
    expect(config.paths).toEqual({ home: '/home/vault' });
    expect(config.listener).toBeUndefined();
    expect(config.cache).toBeUndefined();
    expect(config.metrics).toBeUndefined();
    expect(config.health).toBeUndefined();
    expect(config.telemetry).toBeUndefined();
  });

  it('fills template defaults as Vault Agent does, with perms fixed at 0644', () => {
    const [template] = parsed(anAgentConfig({ templates: [aTemplate()] })).templates;

    expect(template).toMatchObject({
      leftDelimiter: '{{',
      rightDelimiter: '}}',
      perms: 0o644,
      errorOnMissingKey: false,
      createDestDirs: true,
      backup: false,
    });
    expect(template?.command).toBeUndefined();
  });

  it('fills nested defaults inside partly given objects', () => {
    const config = parsed(
      anAgentConfig({
        templateConfig: { retry: { attempts: 3 } },
        listener: {},
        cache: { persist: {} },
        metrics: { port: 9102 },
        health: { port: 9102 },
        templates: [aTemplate({ command: { shell: 'pkill -HUP app' } })],
      }),
    );

    expect(config.templateConfig.retry).toEqual({ attempts: 3, backoffMs: 250, maxBackoffMs: 60_000 });
    expect(config.listener).toEqual({ address: '127.0.0.1:8200', enableQuit: false });
    expect(config.cache).toEqual({ useAutoAuthToken: 'true', persist: { path: '/vault/agent-cache', exitOnError: false } });
    expect(config.metrics).toEqual({ port: 9102, path: '/metrics' });
    expect(config.health).toEqual({ port: 9102, path: '/readyz' });
    expect(config.templates[0]?.command).toEqual({ shell: 'pkill -HUP app', timeoutMs: 30_000 });
  });

  it('gives each auth method its own default mount path', () => {
    const cases = [
      { auth: { method: 'kubernetes', role: 'r' }, mountPath: 'auth/kubernetes' },
      { auth: { method: 'jwt', role: 'r', path: '/var/run/jwt' }, mountPath: 'auth/jwt' },
      { auth: { method: 'approle', roleIdFilePath: '/vault/custom/role-id' }, mountPath: 'auth/approle' },
      { auth: { method: 'token_file', tokenFilePath: '/vault/custom/token' }, mountPath: 'auth/token_file' },
      { auth: { method: 'cert' }, mountPath: 'auth/cert' },
    ] as const;
    for (const { auth, mountPath } of cases) {
      expect(parsed(anAgentConfig({ auth })).auth.mountPath, auth.method).toBe(mountPath);
    }
  });

  it('exits after auth only in init mode', () => {
    expect([exitsAfterAuth('init'), exitsAfterAuth('sidecar'), exitsAfterAuth('native-sidecar')]).toEqual([true, false, false]);
  });

  it('re-reads a JWT every minute, or every 500 ms when it removes the file, unless a period is set', () => {
    const jwt = (extra: object) => {
      const { auth } = parsed(anAgentConfig({ auth: { method: 'jwt', role: 'r', path: '/jwt/token', ...extra } }));
      if (auth.method !== 'jwt') expect.fail('expected jwt auth');
      return resolveJwtReadPeriodMs(auth);
    };
    expect(jwt({})).toBe(60_000);
    expect(jwt({ removeJwtAfterReading: true })).toBe(500);
    expect(jwt({ removeJwtAfterReading: true, jwtReadPeriodMs: 2_000 })).toBe(2_000);
  });

  it('returns a config that parses to itself, so the agent can validate it again', () => {
    const once = parsed(anAgentConfig({ auth: { method: 'kubernetes', role: 'app', mountPath: '/auth/k8s-prod/' } }));
    expect(parsed(once)).toEqual(once);
    expect(once.auth.mountPath).toBe('auth/k8s-prod');
  });
});
