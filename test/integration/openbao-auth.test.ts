import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enableAppRole, enableJwtAuth, type JwtAuth } from '../support/openbao-auth.js';
import { startOpenBao, type OpenBaoConnection, type OpenBaoServer } from '../support/openbao.js';
import { enableKvV2, uniqueName, writePolicy } from '../support/openbao-secrets.js';
import { sharedOpenBao } from '../support/shared-test-bed.js';
import { vaultErrorStatus, type VaultClient } from '../support/vault-client.js';

/** A KV v2 mount with one secret a policy allows and one it does not. */
async function secretsBehindPolicy(bao: OpenBaoConnection): Promise<{ allowed: string; denied: string; policy: string }> {
  const mount = uniqueName('kv');
  await enableKvV2(bao, mount);
  const root = bao.client();
  await root.write(`${mount}/data/allowed`, { data: { value: 'allowed-canary' } });
  await root.write(`${mount}/data/denied`, { data: { value: 'denied-canary' } });
  const policy = uniqueName('read-allowed');
  await writePolicy(bao, policy, `path "${mount}/data/allowed" {\n  capabilities = ["read"]\n}\n`);
  return { allowed: `${mount}/data/allowed`, denied: `${mount}/data/denied`, policy };
}

async function expectPolicyEnforced(client: VaultClient, paths: { allowed: string; denied: string }): Promise<void> {
  const read = (await client.read(paths.allowed)) as { data: { data: { value: string } } };
  expect(read.data.data.value).toBe('allowed-canary');
  const denied = await client.read(paths.denied).then(() => 'read succeeded', (err: unknown) => vaultErrorStatus(err));
  expect(denied).toBe(403);
}

describe('OpenBao auth methods', () => {
  const bao = sharedOpenBao();

  it('logs in with AppRole and gets a token limited to its policy', async () => {
    const paths = await secretsBehindPolicy(bao);
    const approle = await enableAppRole(bao, uniqueName('approle'), 'app', [paths.policy]);
    const client = bao.client('');

    const login = (await client.approleLogin({
      role_id: approle.roleId,
      secret_id: approle.secretId,
      mount_point: approle.path,
    })) as { auth: { client_token: string; policies: string[] } };

    expect(login.auth.policies).toContain(paths.policy);
    expect(client.token).toBe(login.auth.client_token);
    await expectPolicyEnforced(client, paths);
  });

  it('logs in with a locally signed JWT and gets a token limited to its policy', async () => {
    const paths = await secretsBehindPolicy(bao);
    const jwt = await enableJwtAuth(bao, uniqueName('jwt'), 'app', [paths.policy]);
    const client = bao.client('');

    const login = (await client.jwtLogin({ role: jwt.role, jwt: jwt.signJwt(), mount_point: jwt.path })) as {
      auth: { policies: string[]; metadata: { role: string } };
    };

    expect(login.auth.policies).toContain(paths.policy);
    await expectPolicyEnforced(client, paths);
  });

  it('rejects a JWT signed for another audience', async () => {
    const jwt = await enableJwtAuth(bao, uniqueName('jwt'), 'app', ['default'], { algorithm: 'RS256' });
    const client = bao.client('');

    const status = await client
      .jwtLogin({ role: jwt.role, jwt: jwt.signJwt({ aud: 'someone-else' }), mount_point: jwt.path })
      .then(() => 'login succeeded', (err: unknown) => vaultErrorStatus(err));

    expect(status).toBe(400);
  });

  describe('with JWT auth mounted at auth/kubernetes on a private server', () => {
    const subject = 'system:serviceaccount:payments:api';
    let server: OpenBaoServer;
    let paths: { allowed: string; denied: string; policy: string };
    let jwt: JwtAuth;

    beforeAll(async () => {
      server = await startOpenBao();
      paths = await secretsBehindPolicy(server);
      jwt = await enableJwtAuth(server, 'kubernetes', 'api', [paths.policy], { audience: 'vault', boundSubject: subject });
    });
    afterAll(async () => {
      await server?.stop();
    });

    it('accepts a service-account-shaped JWT through node-vault kubernetesLogin', async () => {
      const client = server.client('');

      await client.kubernetesLogin({ role: 'api', jwt: jwt.signJwt({ sub: subject }), mount_point: 'kubernetes' });

      await expectPolicyEnforced(client, paths);
    });

    it('refuses a JWT for another service account', async () => {
      const other = jwt.signJwt({ sub: 'system:serviceaccount:payments:other' });

      const status = await server
        .client('')
        .kubernetesLogin({ role: 'api', jwt: other, mount_point: 'kubernetes' })
        .then(() => 'login succeeded', (err: unknown) => vaultErrorStatus(err));

      expect(status).toBe(400);
    });

    it('refuses an expired JWT', async () => {
      const now = Math.floor(Date.now() / 1000);
      const expired = jwt.signJwt({ sub: subject, iat: now - 600, nbf: now - 600, exp: now - 300 });

      const status = await server
        .client('')
        .kubernetesLogin({ role: 'api', jwt: expired, mount_point: 'kubernetes' })
        .then(() => 'login succeeded', (err: unknown) => vaultErrorStatus(err));

      expect(status).toBe(400);
    });
  });
});
