/**
 * The data both agents read in the benchmark: a private OpenBao dev server with a KV v2 mount of
 * `count` secrets, a database engine on a private PostgreSQL for dynamic credentials, and one
 * token (with a policy for exactly that) written to a file, so both agents use `token_file` auth
 * and neither pays for a different login.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { enableKvV2, writePolicy } from '../../test/support/openbao-secrets.js';
import { startOpenBao, type OpenBaoServer } from '../../test/support/openbao.js';
import { configureDatabaseEngine, startPostgres, type PostgresServer } from '../../test/support/postgres.js';

export const KV_MOUNT = 'bench-kv';
export const DB_MOUNT = 'bench-db';

export interface BenchVault {
  bao: OpenBaoServer;
  postgres: PostgresServer | undefined;
  /** `bench-kv/s0` … */
  kvPaths: string[];
  /** `bench-db/creds/app`, when PostgreSQL runs. */
  dbPath: string | undefined;
  tokenFile: string;
  stop(): Promise<void>;
}

export async function startBenchVault(dir: string, kvCount: number, withDatabase: boolean): Promise<BenchVault> {
  const bao = await startOpenBao({ logLevel: 'warn' });
  let postgres: PostgresServer | undefined;
  try {
    const client = bao.client();
    await enableKvV2(bao, KV_MOUNT);
    const kvPaths: string[] = [];
    for (let i = 0; i < kvCount; i++) {
      const path = `${KV_MOUNT}/s${i}`;
      await client.write(`${KV_MOUNT}/data/s${i}`, { data: { username: `user-${i}`, password: `password-${i}-${'x'.repeat(24)}`, port: 5432 + i } });
      kvPaths.push(path);
    }
    let dbPath: string | undefined;
    if (withDatabase) {
      postgres = await startPostgres();
      dbPath = await configureDatabaseEngine(bao, postgres, { mount: DB_MOUNT, role: 'app', defaultTtl: '1h', maxTtl: '2h' });
    }
    await writePolicy(bao, 'bench', [
      `path "${KV_MOUNT}/*" { capabilities = ["read", "list"] }`,
      `path "${DB_MOUNT}/creds/*" { capabilities = ["read"] }`,
      'path "sys/internal/ui/mounts/*" { capabilities = ["read"] }',
    ].join('\n'));
    const created = (await client.write('auth/token/create', { policies: ['bench'], ttl: '4h', renewable: true })) as { auth: { client_token: string } };
    const tokenFile = join(dir, 'vault-token');
    await writeFile(tokenFile, created.auth.client_token, { mode: 0o600 });
    const stop = async (): Promise<void> => {
      await bao.stop();
      await postgres?.stop();
    };
    return { bao, postgres, kvPaths, dbPath, tokenFile, stop };
  } catch (error) {
    await bao.stop();
    await postgres?.stop();
    throw error;
  }
}
