import { mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLoginMethod } from '../../../../agent/auth/methods/create-login-method.js';
import type { LoginMethod } from '../../../../agent/auth/methods/login-method.js';
import type { VaultClient, VaultRequest, VaultSecret } from '../../../../agent/vault/vault-api.js';
import { authSchema, vaultConnectionSchema, type AuthConfigInput, type VaultConnection } from '../../../../contract/agent-config/index.js';
import { aSecret, capturedLogger, httpError } from './support.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'auth-methods-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

const loginAnswer = (token = 'issued-token') =>
  aSecret({ auth: { clientToken: token, accessor: 'acc', policies: ['default'], tokenPolicies: [], metadata: null, leaseDuration: 60, renewable: true } });

/** Records requests; answers by `METHOD path`, logins by default. */
function recordingClient(routes: Record<string, (request: VaultRequest) => VaultSecret | undefined> = {}): VaultClient & { requests: VaultRequest[]; closed: number } {
  const client = {
    requests: [] as VaultRequest[],
    closed: 0,
    async request(request: VaultRequest) {
      client.requests.push(request);
      const route = routes[`${request.method} ${request.path}`];
      if (route !== undefined) return route(request);
      if (request.path.endsWith('/login')) return loginAnswer();
      throw httpError(request, 404);
    },
    async close() {
      client.closed++;
    },
  };
  return client;
}

const vault: VaultConnection = vaultConnectionSchema.parse({ address: 'https://vault.test:8200', namespace: 'team-a' });

function method(auth: AuthConfigInput, createClient?: (connection: VaultConnection) => VaultClient): LoginMethod {
  return createLoginMethod(authSchema.parse(auth), { vault, logger: capturedLogger().logger, createClient: createClient ?? (() => recordingClient()) });
}

describe('kubernetes login', () => {
  it('sends exactly {role, jwt} (plus extra parameters) to <mount>/login with the auth namespace', async () => {
    const tokenPath = join(dir, 'token');
    await writeFile(tokenPath, '  sa-jwt-1\n');
    const client = recordingClient();
    const login = method({ method: 'kubernetes', role: 'app', tokenPath, mountPath: 'auth/k8s-east/', namespace: 'team-b', extra: { audience: 'vault' } });
    const result = await login.login(client);
    expect(client.requests).toEqual([{ method: 'PUT', path: 'auth/k8s-east/login', body: { audience: 'vault', role: 'app', jwt: 'sa-jwt-1' }, namespace: 'team-b', signal: undefined }]);
    expect(result).toEqual({ token: 'issued-token', accessor: 'acc', leaseDurationSeconds: 60, renewable: true, policies: ['default'] });
  });

  it('re-reads the token file at every login', async () => {
    const tokenPath = join(dir, 'token');
    const client = recordingClient();
    const login = method({ method: 'kubernetes', role: 'app', tokenPath });
    await writeFile(tokenPath, 'first');
    await login.login(client);
    await writeFile(tokenPath, 'second');
    await login.login(client);
    expect(client.requests.map((request) => request.body?.jwt)).toEqual(['first', 'second']);
    expect(client.requests[0]?.path).toBe('auth/kubernetes/login');
  });

  it('fails with a typed error naming the file, not its content', async () => {
    const tokenPath = join(dir, 'token');
    const login = method({ method: 'kubernetes', role: 'app', tokenPath });
    await expect(login.login(recordingClient())).rejects.toMatchObject({ code: 'AUTH_CREDENTIAL_UNREADABLE', message: expect.stringContaining(tokenPath) });
    await writeFile(tokenPath, ' \n');
    await expect(login.login(recordingClient())).rejects.toMatchObject({ code: 'AUTH_CREDENTIAL_EMPTY' });
  });
});

describe('jwt login', () => {
  it('uses the last JWT read once the file is gone, and removes the file when asked', async () => {
    const path = join(dir, 'jwt');
    await writeFile(path, 'one-shot-jwt');
    const client = recordingClient();
    const login = method({ method: 'jwt', role: 'r', path, removeJwtAfterReading: true });
    await login.login(client);
    expect(await readdir(dir)).toEqual([]);
    await login.login(client);
    expect(client.requests.map((request) => request.body)).toEqual([
      { role: 'r', jwt: 'one-shot-jwt' },
      { role: 'r', jwt: 'one-shot-jwt' },
    ]);
    expect(client.requests[0]?.path).toBe('auth/jwt/login');
    await login.close();
  });

  it('removes the target of a symlink when removeJwtFollowsSymlinks is set', async () => {
    await writeFile(join(dir, 'target'), 'jwt-via-link');
    await symlink(join(dir, 'target'), join(dir, 'link'));
    const login = method({ method: 'jwt', role: 'r', path: join(dir, 'link'), removeJwtAfterReading: true, removeJwtFollowsSymlinks: true });
    await login.login(recordingClient());
    expect(await readdir(dir)).toEqual(['link']);
    await login.close();
  });
});

describe('approle login', () => {
  it('sends role_id and secret_id, and reuses cached values when a file is emptied', async () => {
    const roleIdFilePath = join(dir, 'role-id');
    const secretIdFilePath = join(dir, 'secret-id');
    await writeFile(roleIdFilePath, 'role-1\n');
    await writeFile(secretIdFilePath, 'secret-1\n');
    const client = recordingClient();
    const login = method({ method: 'approle', roleIdFilePath, secretIdFilePath });
    await login.login(client);
    await writeFile(secretIdFilePath, '');
    await login.login(client);
    expect(client.requests.map((request) => [request.path, request.body])).toEqual([
      ['auth/approle/login', { role_id: 'role-1', secret_id: 'secret-1' }],
      ['auth/approle/login', { role_id: 'role-1', secret_id: 'secret-1' }],
    ]);
  });

  it('sends only the role ID without a secret-ID file', async () => {
    const roleIdFilePath = join(dir, 'role-id');
    await writeFile(roleIdFilePath, 'role-1');
    const client = recordingClient();
    await method({ method: 'approle', roleIdFilePath }).login(client);
    expect(client.requests[0]?.body).toEqual({ role_id: 'role-1' });
  });

  it('checks the creation path of a wrapped secret ID, unwraps it once, and remembers it', async () => {
    const roleIdFilePath = join(dir, 'role-id');
    const secretIdFilePath = join(dir, 'secret-id');
    await writeFile(roleIdFilePath, 'role-1');
    await writeFile(secretIdFilePath, 'wrapping-token');
    const client = recordingClient({
      'PUT sys/wrapping/lookup': () => aSecret({ data: { creation_path: 'auth/approle/role/app/secret-id', creation_ttl: 60 } }),
      'PUT sys/wrapping/unwrap': () => aSecret({ data: { secret_id: 'unwrapped-secret', secret_id_accessor: 'x' } }),
    });
    const login = method({ method: 'approle', roleIdFilePath, secretIdFilePath, secretIdResponseWrappingPath: '/auth/approle/role/app/secret-id' });
    await login.login(client);
    await login.login(client);
    expect(client.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      'PUT sys/wrapping/lookup',
      'PUT sys/wrapping/unwrap',
      'PUT auth/approle/login',
      'PUT auth/approle/login',
    ]);
    expect(client.requests[0]?.body).toEqual({ token: 'wrapping-token' });
    expect(client.requests[1]?.token).toBe('wrapping-token');
    expect(client.requests[3]?.body).toEqual({ role_id: 'role-1', secret_id: 'unwrapped-secret' });
  });

  it('refuses a wrapped secret ID created elsewhere', async () => {
    await writeFile(join(dir, 'role-id'), 'role-1');
    await writeFile(join(dir, 'secret-id'), 'wrapping-token');
    const client = recordingClient({ 'PUT sys/wrapping/lookup': () => aSecret({ data: { creation_path: 'sys/wrapping/wrap' } }) });
    const login = method({
      method: 'approle',
      roleIdFilePath: join(dir, 'role-id'),
      secretIdFilePath: join(dir, 'secret-id'),
      secretIdResponseWrappingPath: 'auth/approle/role/app/secret-id',
    });
    await expect(login.login(client)).rejects.toMatchObject({ code: 'AUTH_WRAPPING_PATH_MISMATCH' });
    expect(client.requests.map((request) => request.path)).toEqual(['sys/wrapping/lookup']);
  });
});

describe('token_file login', () => {
  it('looks the token up instead of logging in', async () => {
    const tokenFilePath = join(dir, 'token');
    await writeFile(tokenFilePath, 's.file-token\n');
    const client = recordingClient({
      'GET auth/token/lookup-self': () => aSecret({ data: { id: 's.file-token', accessor: 'a', ttl: 1200, renewable: true, policies: ['default', 'app'] } }),
    });
    const result = await method({ method: 'token_file', tokenFilePath }).login(client);
    expect(client.requests).toMatchObject([{ method: 'GET', path: 'auth/token/lookup-self', token: 's.file-token' }]);
    expect(result).toEqual({ token: 's.file-token', accessor: 'a', leaseDurationSeconds: 1200, renewable: true, policies: ['default', 'app'] });
  });

  it('reports a root token with TTL 0 as never expiring and not renewable', async () => {
    const tokenFilePath = join(dir, 'token');
    await writeFile(tokenFilePath, 'root');
    const client = recordingClient({ 'GET auth/token/lookup-self': () => aSecret({ data: { id: 'root', ttl: 0, renewable: false, policies: ['root'] } }) });
    expect(await method({ method: 'token_file', tokenFilePath }).login(client)).toMatchObject({ leaseDurationSeconds: 0, renewable: false });
  });
});

describe('cert login', () => {
  it('logs in over its own TLS client with the method certificate and CA, rebuilt per login with reload', async () => {
    const built: VaultConnection[] = [];
    const clients: ReturnType<typeof recordingClient>[] = [];
    const factory = (connection: VaultConnection) => {
      built.push(connection);
      const client = recordingClient();
      clients.push(client);
      return client;
    };
    const auth = { method: 'cert', name: 'web', clientCertPath: '/c/tls.crt', clientKeyPath: '/c/tls.key', caCertPath: '/c/ca.crt', reload: true } as const;
    const login = method(auth, factory);
    const unused = recordingClient();
    await login.login(unused);
    await login.login(unused);
    expect(unused.requests).toEqual([]);
    expect(built).toHaveLength(2);
    expect(built[0]).toMatchObject({ clientCertPath: '/c/tls.crt', clientKeyPath: '/c/tls.key', caCertPath: '/c/ca.crt', maxRetries: 0, namespace: 'team-a' });
    expect(clients[0]?.closed).toBe(1);
    expect(clients[1]?.requests).toMatchObject([{ method: 'PUT', path: 'auth/cert/login', body: { name: 'web' } }]);
    await login.close();
    expect(clients[1]?.closed).toBe(1);
  });

  it('keeps one TLS client without reload and sends {} without a name', async () => {
    let builds = 0;
    const client = recordingClient();
    const login = method({ method: 'cert' }, () => (builds++, client));
    await login.login(recordingClient());
    await login.login(recordingClient());
    expect(builds).toBe(1);
    expect(client.requests.map((request) => request.body)).toEqual([{}, {}]);
  });
});
