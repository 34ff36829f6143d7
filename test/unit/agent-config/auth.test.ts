import { describe, expect, it } from 'vitest';
import type { AuthConfigInput } from '../../../contract/agent-config/index.js';
import { anAgentConfig, errorAt, parseErrors, parsed } from './builders.js';

const k8s = (fields: object = {}) => ({ method: 'kubernetes', role: 'app', ...fields });

const valid = [
  { name: 'kubernetes with a role', auth: k8s() },
  { name: 'kubernetes with a projected token', auth: k8s({ tokenPath: '/var/run/secrets/vault.hashicorp.com/serviceaccount/token' }) },
  { name: 'jwt with role and file', auth: { method: 'jwt', role: 'app', path: '/var/run/secrets/tokens/vault' } },
  {
    name: 'jwt removing the file',
    auth: { method: 'jwt', role: 'app', path: '/jwt', removeJwtAfterReading: true, removeJwtFollowsSymlinks: true, jwtReadPeriodMs: 1_000 },
  },
  { name: 'approle with a role ID only', auth: { method: 'approle', roleIdFilePath: '/vault/custom/role-id' } },
  {
    name: 'approle with a wrapped secret ID',
    auth: {
      method: 'approle',
      roleIdFilePath: '/vault/custom/role-id',
      secretIdFilePath: '/vault/custom/secret-id',
      secretIdResponseWrappingPath: 'auth/approle/role/app/secret-id',
    },
  },
  { name: 'token_file', auth: { method: 'token_file', tokenFilePath: '/vault/custom/token' } },
  { name: 'cert with nothing set', auth: { method: 'cert' } },
  {
    name: 'cert with role and files',
    auth: { method: 'cert', name: 'web', caCertPath: '/tls/ca.crt', clientCertPath: '/tls/tls.crt', clientKeyPath: '/tls/tls.key', reload: true },
  },
  {
    name: 'common settings',
    auth: k8s({
      mountPath: 'auth/k8s/cluster-1',
      namespace: 'team-a',
      minBackoffMs: 500,
      maxBackoffMs: 500,
      exitOnError: true,
      extra: { audience: 'vault' },
    }),
  },
] as const;

const invalid = [
  { name: 'kubernetes without a role', auth: { method: 'kubernetes' }, path: 'auth.role', message: /required/ },
  { name: 'kubernetes with a blank role', auth: k8s({ role: '  ' }), path: 'auth.role', message: /non-empty/ },
  { name: 'kubernetes with a relative token path', auth: k8s({ tokenPath: 'token' }), path: 'auth.tokenPath', message: /absolute path/ },
  { name: 'jwt without a file', auth: { method: 'jwt', role: 'r' }, path: 'auth.path', message: /required/ },
  { name: 'jwt without a role', auth: { method: 'jwt', path: '/jwt' }, path: 'auth.role', message: /required/ },
  {
    name: 'jwt with a zero read period',
    auth: { method: 'jwt', role: 'r', path: '/jwt', jwtReadPeriodMs: 0 },
    path: 'auth.jwtReadPeriodMs',
    message: /at least 1 millisecond/,
  },
  { name: 'approle without a role ID file', auth: { method: 'approle' }, path: 'auth.roleIdFilePath', message: /required/ },
  { name: 'token_file without a file', auth: { method: 'token_file' }, path: 'auth.tokenFilePath', message: /required/ },
  {
    name: 'token_file with login parameters',
    auth: { method: 'token_file', tokenFilePath: '/t', extra: { role: 'x' } },
    path: 'auth.extra.role',
    message: /does not log in/,
  },
  {
    name: 'cert with a certificate but no key',
    auth: { method: 'cert', clientCertPath: '/tls.crt' },
    path: 'auth.clientKeyPath',
    message: /set both or neither/,
  },
  {
    name: 'an unknown method',
    auth: { method: 'aws', role: 'r' },
    path: 'auth.method',
    message: /expected one of: kubernetes, jwt, approle, token_file, cert/,
  },
  { name: 'no method', auth: { role: 'r' }, path: 'auth.method', message: /expected one of/ },
  { name: 'a key of another method', auth: k8s({ roleIdFilePath: '/x' }), path: 'auth.roleIdFilePath', message: /unknown key/ },
  {
    name: 'a mount path with characters node-vault would escape',
    auth: k8s({ mountPath: 'auth/k8s&x' }),
    path: 'auth.mountPath',
    message: /A-Z a-z 0-9 _ \. -/,
  },
  { name: 'a mount path with ..', auth: k8s({ mountPath: 'auth/../sys' }), path: 'auth.mountPath', message: /segments/ },
  { name: 'a mount path with an empty segment', auth: k8s({ mountPath: 'auth//k8s' }), path: 'auth.mountPath', message: /single slashes/ },
  { name: 'an empty mount path', auth: k8s({ mountPath: '/' }), path: 'auth.mountPath', message: /Vault path/ },
  { name: 'a fractional backoff', auth: k8s({ minBackoffMs: 1.5 }), path: 'auth.minBackoffMs', message: /whole number of milliseconds/ },
  { name: 'a backoff as a Go duration string', auth: k8s({ maxBackoffMs: '5m' }), path: 'auth.maxBackoffMs', message: /number of milliseconds/ },
  {
    name: 'a backoff beyond what a timer can wait',
    auth: k8s({ maxBackoffMs: 2 ** 31 }),
    path: 'auth.maxBackoffMs',
    message: /at most 2147483647/,
  },
  { name: 'a non-string login parameter', auth: k8s({ extra: { audience: 1 } }), path: 'auth.extra.audience', message: /string value/ },
  {
    name: 'a login parameter the agent fills',
    auth: k8s({ extra: { jwt: 'x' } }),
    path: 'auth.extra.jwt',
    message: /reserved login parameter: set by the token read from tokenPath/,
  },
  {
    name: 'a login parameter with a typed field',
    auth: { method: 'approle', roleIdFilePath: '/r', extra: { secret_id_file_path: '/s' } },
    path: 'auth.extra.secret_id_file_path',
    message: /set by secretIdFilePath/,
  },
] as const;

describe('auth', () => {
  it.each(valid)('accepts $name', ({ auth }) => {
    expect(parsed(anAgentConfig({ auth: auth as AuthConfigInput })).auth.method).toBe(auth.method);
  });

  it.each(invalid)('rejects $name at $path', ({ auth, path, message }) => {
    expect(errorAt(parseErrors(anAgentConfig({ auth: auth as never })), path).message).toMatch(message);
  });

  it('rejects a minimum backoff above the maximum, naming both values', () => {
    const errors = parseErrors(anAgentConfig({ auth: { method: 'kubernetes', role: 'r', minBackoffMs: 10_000, maxBackoffMs: 5_000 } }));
    expect(errors).toEqual([{ path: 'auth.minBackoffMs', message: 'minBackoffMs (10000) must not exceed maxBackoffMs (5000)' }]);
  });

  it('compares the minimum backoff with the default maximum', () => {
    const errors = parseErrors(anAgentConfig({ auth: { method: 'kubernetes', role: 'r', minBackoffMs: 600_000 } }));
    expect(errorAt(errors, 'auth.minBackoffMs').message).toMatch(/maxBackoffMs \(300000\)/);
  });

  it('still reports the backoff order when another auth field is wrong', () => {
    const errors = parseErrors(anAgentConfig({ auth: { method: 'kubernetes', minBackoffMs: 9, maxBackoffMs: 1 } as never }));
    expect(errors.map((error) => error.path)).toEqual(['auth.role', 'auth.minBackoffMs']);
  });

  it('strips leading and trailing slashes from the mount path', () => {
    const { auth } = parsed(anAgentConfig({ auth: { method: 'jwt', role: 'r', path: '/jwt', mountPath: '/auth/jwt-oidc/' } }));
    expect(auth.mountPath).toBe('auth/jwt-oidc');
  });

  it('keeps secret-ID and JWT files by default, since injected pods mount them read-only and share them', () => {
    const approle = parsed(anAgentConfig({ auth: { method: 'approle', roleIdFilePath: '/r', secretIdFilePath: '/s' } })).auth;
    const jwt = parsed(anAgentConfig({ auth: { method: 'jwt', role: 'r', path: '/jwt' } })).auth;
    expect(approle).toMatchObject({ removeSecretIdFileAfterReading: false });
    expect(jwt).toMatchObject({ removeJwtAfterReading: false, removeJwtFollowsSymlinks: false });
  });
});
