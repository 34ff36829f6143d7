import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { uniqueName } from '../support/openbao-secrets.js';
import { configureDatabaseEngine, pgClientConfig } from '../support/postgres.js';
import { sharedOpenBao, sharedPostgres } from '../support/shared-test-bed.js';

interface DatabaseCreds {
  lease_id: string;
  lease_duration: number;
  renewable: boolean;
  data: { username: string; password: string };
}

/** Logs in with the given credentials and returns `current_user`, or the PostgreSQL error code. */
async function currentUser(login: { user: string; password: string }): Promise<string> {
  const client = new pg.Client(pgClientConfig(sharedPostgres(), login));
  client.on('error', () => {}); // revocation terminates sessions; connect()/query() report it
  try {
    await client.connect();
    const result = await client.query<{ current_user: string }>('select current_user');
    return result.rows[0]?.current_user ?? '';
  } catch (err) {
    return `error ${(err as { code?: string }).code ?? 'unknown'}`;
  } finally {
    await client.end().catch(() => {});
  }
}

describe('PostgreSQL dynamic credentials from the database engine', () => {
  const bao = sharedOpenBao();

  it('issues credentials that log in, renew within the TTLs, and stop working once revoked', async () => {
    const credsPath = await configureDatabaseEngine(bao, sharedPostgres(), {
      mount: uniqueName('database'),
      defaultTtl: '10s',
      maxTtl: '30s',
    });
    const client = bao.client();

    const creds = (await client.read(credsPath)) as DatabaseCreds;
    const login = { user: creds.data.username, password: creds.data.password };
    expect(creds.renewable).toBe(true);
    expect(creds.lease_duration).toBe(10);
    expect(await currentUser(login)).toBe(creds.data.username);

    const renewed = (await client.write('sys/leases/renew', { lease_id: creds.lease_id, increment: 20 })) as {
      lease_id: string;
      lease_duration: number;
    };
    expect(renewed.lease_id).toBe(creds.lease_id);
    expect(renewed.lease_duration).toBeGreaterThan(10);
    expect(renewed.lease_duration).toBeLessThanOrEqual(30);

    await client.write('sys/leases/revoke', { lease_id: creds.lease_id });
    // 28P01: password authentication failed; the role is gone.
    expect(await currentUser(login)).toBe('error 28P01');
  });

  it('ends open sessions of revoked credentials', async () => {
    const credsPath = await configureDatabaseEngine(bao, sharedPostgres(), { mount: uniqueName('database') });
    const creds = (await bao.client().read(credsPath)) as DatabaseCreds;
    const session = new pg.Client(pgClientConfig(sharedPostgres(), { user: creds.data.username, password: creds.data.password }));
    const sessionError = new Promise<string>((resolveError) => session.on('error', (err) => resolveError((err as { code?: string }).code ?? '')));
    await session.connect();

    await bao.client().write('sys/leases/revoke', { lease_id: creds.lease_id });

    // 57P01: terminating connection due to administrator command.
    expect(await sessionError).toBe('57P01');
    await session.end().catch(() => {});
  });
});
