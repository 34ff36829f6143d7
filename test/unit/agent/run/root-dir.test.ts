import { describe, expect, it } from 'vitest';
import { applyRootDir, resolveRootDir } from '../../../../agent/run/root-dir.js';
import { parseAgentFlags } from '../../../../agent/run/agent-flags.js';
import { parseAgentConfig, type AgentConfig, type AgentConfigInput } from '../../../../contract/agent-config/index.js';

function config(overrides: Partial<AgentConfigInput> = {}): AgentConfig {
  const result = parseAgentConfig({
    version: 1,
    mode: 'sidecar',
    vault: { address: 'https://vault:8200', caCertPath: '/vault/tls/ca.crt', clientCertPath: '/c/tls.crt', clientKeyPath: '/c/tls.key' },
    auth: { method: 'kubernetes', role: 'app' },
    sinks: [{ path: '/home/vault/.vault-token' }, { path: '/vault/secrets/token' }],
    templates: [
      { name: 'db', destination: '/vault/secrets/db', engine: 'go', contents: 'x' },
      { name: 'f', destination: '/vault/secrets/f', engine: 'go', source: '/vault/templates/f.tpl', command: { shell: 'cat /vault/secrets/f' } },
    ],
    listener: { address: '127.0.0.1:8200' },
    cache: { persist: {} },
    ...overrides,
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.config;
}

describe('the root-directory override', () => {
  it('moves every file path of the config under the root, and nothing else', () => {
    const original = config();
    const mapped = applyRootDir(original, '/tmp/root');
    expect(mapped.vault).toMatchObject({ address: 'https://vault:8200', caCertPath: '/tmp/root/vault/tls/ca.crt', clientCertPath: '/tmp/root/c/tls.crt', clientKeyPath: '/tmp/root/c/tls.key' });
    expect(mapped.vault.caPath).toBeUndefined();
    expect(mapped.auth).toMatchObject({ method: 'kubernetes', role: 'app', tokenPath: '/tmp/root/var/run/secrets/kubernetes.io/serviceaccount/token' });
    expect(mapped.sinks.map((s) => s.path)).toEqual(['/tmp/root/home/vault/.vault-token', '/tmp/root/vault/secrets/token']);
    expect(mapped.templates.map((t) => [t.destination, t.source])).toEqual([
      ['/tmp/root/vault/secrets/db', undefined],
      ['/tmp/root/vault/secrets/f', '/tmp/root/vault/templates/f.tpl'],
    ]);
    expect(mapped.templates[1]?.command?.shell).toBe('cat /vault/secrets/f');
    expect(mapped.cache?.persist?.path).toBe('/tmp/root/vault/agent-cache');
    expect(mapped.paths.home).toBe('/tmp/root/home/vault');
    expect(original.paths.home).toBe('/home/vault');
  });

  it.each([
    [{ method: 'jwt', role: 'r', path: '/var/jwt' }, { path: '/r/var/jwt' }],
    [{ method: 'approle', roleIdFilePath: '/v/role-id', secretIdFilePath: '/v/secret-id' }, { roleIdFilePath: '/r/v/role-id', secretIdFilePath: '/r/v/secret-id' }],
    [{ method: 'approle', roleIdFilePath: '/v/role-id' }, { roleIdFilePath: '/r/v/role-id', secretIdFilePath: undefined }],
    [{ method: 'token_file', tokenFilePath: '/v/token' }, { tokenFilePath: '/r/v/token' }],
    [{ method: 'cert', clientCertPath: '/c.crt', clientKeyPath: '/c.key' }, { clientCertPath: '/r/c.crt', clientKeyPath: '/r/c.key', caCertPath: undefined }],
  ] as const)('maps the files of %o auth', (auth, expected) => {
    expect(applyRootDir(config({ auth: auth as AgentConfigInput['auth'] }), '/r').auth).toMatchObject(expected);
  });

  it('resolves a relative root against the working directory', () => {
    expect(resolveRootDir('out/root/', '/work')).toBe('/work/out/root');
    expect(resolveRootDir('/abs/./root', '/work')).toBe('/abs/root');
  });

  it('comes from --root-dir, else VAULT_INJECTOR_ROOT_DIR', () => {
    const env = { VAULT_INJECTOR_ROOT_DIR: '/from-env' };
    expect(parseAgentFlags(['--root-dir', '/from-flag'], env)).toEqual({ ok: true, help: false, flags: { configFile: undefined, rootDir: '/from-flag' } });
    expect(parseAgentFlags(['--config', 'c.json'], env)).toEqual({ ok: true, help: false, flags: { configFile: 'c.json', rootDir: '/from-env' } });
    expect(parseAgentFlags([], {})).toEqual({ ok: true, help: false, flags: { configFile: undefined, rootDir: undefined } });
    expect(parseAgentFlags(['--root-dir='], {})).toMatchObject({ ok: false });
    expect(parseAgentFlags(['--nope'], {})).toMatchObject({ ok: false, message: expect.stringContaining('--nope') });
    expect(parseAgentFlags(['-h'], {})).toEqual({ ok: true, help: true });
  });
});
