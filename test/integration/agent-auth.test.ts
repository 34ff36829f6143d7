// The agent's auth against a real OpenBao: every method logs in, tokens are renewed and replaced
// on OpenBao's schedule (seen in its audit log), revoked tokens lead to a new login, sinks hold
// the current token, and no credential reaches a log line.
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgentAuth } from '../../agent/auth/create-agent-auth.js';
import type { AuthManager } from '../../agent/auth/auth-manager.js';
import { createLogger } from '../../agent/observe/logger.js';
import { createHttpVaultClient } from '../../agent/vault/http-vault-client.js';
import type { VaultClient } from '../../agent/vault/vault-api.js';
import { authSchema, tokenSinkListSchema, vaultConnectionSchema, type AuthConfigInput } from '../../contract/agent-config/index.js';
import { enableAppRole, enableJwtAuth } from '../support/openbao-auth.js';
import { enableKvV2, uniqueName, writePolicy } from '../support/openbao-secrets.js';
import { waitFor } from '../support/wait-for.js';
import { startAuthTestServer, type AuthTestServer } from './agent-auth-server.js';

let server: AuthTestServer;
let work: string;
let kv: string;
const logText: string[] = [];
const logger = createLogger({
  level: 'debug',
  destination: new Writable({ write: (chunk: Buffer, _encoding, callback) => (logText.push(chunk.toString()), callback()) }),
});
/** Every token, JWT, role ID and secret ID of the suite: none may appear in a log line. */
const credentials = new Set<string>();
const running: Array<{ manager: AuthManager; client: VaultClient }> = [];

beforeAll(async () => {
  server = await startAuthTestServer();
  work = join(server.dir, 'agent');
  await mkdir(work);
  kv = uniqueName('kv');
  await enableKvV2(server, kv);
  await server.client().write(`${kv}/data/app`, { data: { value: 'canary-value' } });
});

afterAll(async () => {
  for (const { manager, client } of running) {
    await manager.stop();
    await client.close();
  }
  const text = logText.join('');
  expect(text).toContain('"msg":"authenticated"');
  for (const credential of credentials) expect(text).not.toContain(credential);
  await server?.stop();
});

/** A policy (unique name, so audit entries tell tests apart) that reads the app secret. */
async function readPolicy(): Promise<string> {
  const name = uniqueName('read-app');
  await writePolicy(server, name, `path "${kv}/data/app" {\n  capabilities = ["read"]\n}\n`);
  return name;
}

function startAuth(auth: AuthConfigInput, sinks: Array<{ path: string; mode?: number }> = []) {
  const vault = vaultConnectionSchema.parse({ address: server.addr, requestTimeoutMs: 5_000 });
  const client = createHttpVaultClient(vault, { logger });
  const manager = createAgentAuth({ vault, auth: authSchema.parse(auth), sinks: tokenSinkListSchema.parse(sinks) }, { client, logger });
  const tokens: string[] = [];
  manager.onNewToken((token) => (tokens.push(token), credentials.add(token)));
  running.push({ manager, client });
  return { manager, client, tokens };
}

async function readsTheSecret(client: VaultClient, token: string): Promise<boolean> {
  const answer = await client.request({ method: 'GET', path: `${kv}/data/app`, token });
  return (answer?.data?.data as { value?: string } | undefined)?.value === 'canary-value';
}

async function countAudited(path: string, policy?: string): Promise<number> {
  const entries = await server.auditedRequests();
  return entries.filter((entry) => entry.request.path === path && (policy === undefined || entry.auth?.policies?.includes(policy))).length;
}

/** OpenBao may still be writing the last audit line: wait briefly for `expected` entries, then count. */
async function countAuditedSettled(path: string, expected: number): Promise<number> {
  await waitFor(async () => ((await countAudited(path)) >= expected ? true : undefined), { what: `${expected} audited ${path} requests`, timeoutMs: 5_000 }).catch(() => undefined);
  return countAudited(path);
}

async function file(name: string, content: string): Promise<string> {
  const path = join(work, name);
  await writeFile(path, content, { mode: 0o600 });
  if (content.trim() !== '') credentials.add(content.trim());
  return path;
}

async function revoke(token: string): Promise<void> {
  await server.client().write('auth/token/revoke', { token });
}

async function displayName(client: VaultClient, token: string): Promise<string> {
  return String((await client.request({ method: 'GET', path: 'auth/token/lookup-self', token }))?.data?.display_name);
}

describe('agent auth methods against OpenBao', () => {
  it('kubernetes: logs in at auth/kubernetes with the service-account token, re-read at the next login; sinks hold the token (0640)', async () => {
    const policy = await readPolicy();
    const jwt = await enableJwtAuth(server, 'kubernetes', 'app', [policy], { audience: 'vault' });
    const tokenPath = await file('sa-token', `${jwt.signJwt({ sub: 'system:serviceaccount:shop:first' })}\n`);
    const sinks = [{ path: join(work, 'home', '.vault-token') }, { path: join(work, 'secrets', 'token'), mode: 0o640 }];
    const { manager, client } = startAuth({ method: 'kubernetes', role: 'app', tokenPath }, sinks);

    await manager.firstLogin();
    const first = await manager.token();
    expect(await readsTheSecret(client, first)).toBe(true);
    expect(await displayName(client, first)).toContain('first');
    for (const sink of sinks) {
      expect(await readFile(sink.path, 'utf8')).toBe(first);
      expect((await stat(sink.path)).mode & 0o777).toBe(0o640);
    }

    await file('sa-token', jwt.signJwt({ sub: 'system:serviceaccount:shop:second' }));
    await revoke(first);
    manager.reportInvalid(first);
    const second = await manager.token();
    expect(second).not.toBe(first);
    expect(await displayName(client, second)).toContain('second');
    await waitFor(async () => ((await readFile(sinks[1]!.path, 'utf8')) === second ? true : undefined), { what: 'the sink to hold the new token', timeoutMs: 5_000 });
    expect(await countAuditedSettled('auth/kubernetes/login', 2)).toBe(2);
  });

  it('jwt: logs in with the JWT file, removes it after reading, and logs in again with the JWT it kept', async () => {
    const policy = await readPolicy();
    const jwt = await enableJwtAuth(server, uniqueName('jwt'), 'app', [policy]);
    const path = await file('jwt', jwt.signJwt());
    const { manager, client } = startAuth({ method: 'jwt', role: 'app', path, mountPath: `auth/${jwt.path}`, removeJwtAfterReading: true });

    const first = await manager.token();
    expect(await readsTheSecret(client, first)).toBe(true);
    await expect(stat(path)).rejects.toMatchObject({ code: 'ENOENT' });
    await revoke(first);
    manager.reportInvalid(first);
    expect(await readsTheSecret(client, await manager.token())).toBe(true);
    expect(await countAuditedSettled(`auth/${jwt.path}/login`, 2)).toBe(2);
  });

  it('approle: logs in with the role-ID and secret-ID files', async () => {
    const policy = await readPolicy();
    const approle = await enableAppRole(server, uniqueName('approle'), 'app', [policy]);
    const roleIdFilePath = await file('role-id', approle.roleId);
    const secretIdFilePath = await file('secret-id', approle.secretId);
    const { manager, client } = startAuth({ method: 'approle', roleIdFilePath, secretIdFilePath, mountPath: `auth/${approle.path}` });
    expect(await readsTheSecret(client, await manager.token())).toBe(true);
  });

  it('approle: unwraps a response-wrapped secret ID created at the configured path, and refuses one from elsewhere', async () => {
    const policy = await readPolicy();
    const approle = await enableAppRole(server, uniqueName('approle'), 'app', [policy]);
    const creationPath = `auth/${approle.path}/role/app/secret-id`;
    const wrap = async () => {
      const response = await fetch(`${server.addr}/v1/${creationPath}`, {
        method: 'PUT',
        headers: { 'X-Vault-Token': server.rootToken, 'X-Vault-Wrap-TTL': '120s' },
        body: '{}',
      });
      return ((await response.json()) as { wrap_info: { token: string } }).wrap_info.token;
    };
    const roleIdFilePath = await file('wrapped-role-id', approle.roleId);
    const good = startAuth({
      method: 'approle',
      roleIdFilePath,
      secretIdFilePath: await file('wrapped-secret-id', await wrap()),
      secretIdResponseWrappingPath: creationPath,
      mountPath: `auth/${approle.path}`,
    });
    expect(await readsTheSecret(good.client, await good.manager.token())).toBe(true);

    const bad = startAuth({
      method: 'approle',
      roleIdFilePath,
      secretIdFilePath: await file('other-secret-id', await wrap()),
      secretIdResponseWrappingPath: 'auth/approle/role/someone-else/secret-id',
      mountPath: `auth/${approle.path}`,
      exitOnError: true,
    });
    await expect(bad.manager.firstLogin()).rejects.toMatchObject({ code: 'AUTH_WRAPPING_PATH_MISMATCH' });
  });

  it("token_file: uses the file's token (lookup-self) and renews it; a root token with TTL 0 is never renewed", async () => {
    const policy = await readPolicy();
    const created = (await server.client().write('auth/token/create', { policies: [policy], ttl: '1h' })) as { auth: { client_token: string } };
    const tokenFilePath = await file('vault-token', created.auth.client_token);
    const { manager, client } = startAuth({ method: 'token_file', tokenFilePath });
    expect(await manager.token()).toBe(created.auth.client_token);
    expect(await readsTheSecret(client, created.auth.client_token)).toBe(true);
    await waitFor(async () => ((await countAudited('auth/token/renew-self', policy)) === 1 ? true : undefined), { what: 'the first renewal', timeoutMs: 5_000 });

    const root = startAuth({ method: 'token_file', tokenFilePath: await file('root-token', server.rootToken) });
    expect(await root.manager.token()).toBe(server.rootToken);
    expect(root.manager.stats().tokenExpiresMs).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await countAudited('auth/token/renew-self', 'root')).toBe(0);
  });

  it('exitOnError: a refused login is fatal', async () => {
    const jwt = await enableJwtAuth(server, uniqueName('jwt'), 'app', ['default']);
    const path = await file('foreign-jwt', jwt.signJwt({ aud: 'someone-else' }));
    const { manager } = startAuth({ method: 'jwt', role: 'app', path, mountPath: `auth/${jwt.path}`, exitOnError: true });
    await expect(manager.firstLogin()).rejects.toMatchObject({ code: 'VAULT_HTTP', status: 400 });
    await expect(manager.token()).rejects.toMatchObject({ status: 400 });
  });
});

describe('agent token lifetime against OpenBao', () => {
  async function shortLivedAppRole(ttl: string, maxTtl: string) {
    const policy = await readPolicy();
    const approle = await enableAppRole(server, uniqueName('approle'), 'app', [policy]);
    await server.client().write(`auth/${approle.path}/role/app`, { token_policies: [policy], token_ttl: ttl, token_max_ttl: maxTtl });
    const auth = {
      method: 'approle',
      roleIdFilePath: await file(uniqueName('role-id'), approle.roleId),
      secretIdFilePath: await file(uniqueName('secret-id'), approle.secretId),
      mountPath: `auth/${approle.path}`,
    } as const;
    return { policy, approle, auth };
  }

  it('renews a 3 s token with renew-self and logs in again at its 8 s max TTL; the sink follows', async () => {
    const { policy, approle, auth } = await shortLivedAppRole('3s', '8s');
    const sink = join(work, 'short', 'token');
    const { manager, client, tokens } = startAuth(auth, [{ path: sink }]);
    await manager.firstLogin();
    await waitFor(async () => (tokens.length >= 2 ? true : undefined), { what: 'a second login', timeoutMs: 15_000, intervalMs: 200 });

    const renewals = await countAudited('auth/token/renew-self', policy);
    expect(renewals).toBeGreaterThanOrEqual(3); // at 0 s, ~2.1 s, ~4.3 s of the first token, then at 0 s of the second
    expect(renewals).toBeLessThan(12); // no tight loop
    expect(await countAudited(`auth/${approle.path}/login`)).toBe(tokens.length);
    const current = await manager.token();
    expect(current).toBe(tokens.at(-1));
    expect(await readsTheSecret(client, current)).toBe(true);
    await waitFor(async () => ((await readFile(sink, 'utf8')) === current ? true : undefined), { what: 'the sink to hold the current token', timeoutMs: 5_000 });
    expect(manager.stats()).toMatchObject({ authenticated: true, loginFailures: 0 });
  });

  it('logs in again at the next renewal after its token was revoked (403), without being told', async () => {
    const { auth } = await shortLivedAppRole('4s', '1h');
    const { manager, tokens } = startAuth(auth);
    const first = await manager.token();
    await waitFor(async () => (manager.stats().renewals >= 1 ? true : undefined), { what: 'the first renewal', timeoutMs: 5_000, intervalMs: 50 });
    await revoke(first); // the next renewal, ~2.8 s later, is refused
    await waitFor(async () => (tokens.length >= 2 ? true : undefined), { what: 'a login after the refused renewal', timeoutMs: 8_000, intervalMs: 100 });
    expect(await manager.token()).toBe(tokens[1]);
  });

  it('logs in again at once when a revoked token is reported, but keeps a valid token refused by policy', async () => {
    const { approle, auth } = await shortLivedAppRole('1h', '2h');
    const { manager, client, tokens } = startAuth(auth);
    const first = await manager.token();
    const denied = await client.request({ method: 'GET', path: 'sys/policies/acl', token: first }).catch((error: unknown) => error);
    expect(denied).toMatchObject({ status: 403 });
    manager.reportInvalid(first);
    expect(await manager.token()).toBe(first);
    expect(await countAudited(`auth/${approle.path}/login`)).toBe(1);

    await revoke(first);
    manager.reportInvalid(first);
    const second = await manager.token();
    expect(second).not.toBe(first);
    expect(tokens).toEqual([first, second]);
    expect(await countAudited(`auth/${approle.path}/login`)).toBe(2);
  });

  it('revokes its own token', async () => {
    const { auth } = await shortLivedAppRole('1h', '2h');
    const { manager, client } = startAuth(auth);
    const token = await manager.token();
    await manager.revokeSelf();
    await expect(client.request({ method: 'GET', path: 'auth/token/lookup-self', token })).rejects.toMatchObject({ status: 403 });
  });
});
