/**
 * The demo's Vault side: a local OpenBao dev server with a KV v2 secret, kubernetes auth served by
 * OpenBao's JWT auth at auth/kubernetes (no cluster needed: a demo key signs the service-account
 * token), and — when PostgreSQL is installed — short-lived database credentials.
 */
import { enableJwtAuth } from '../../test/support/openbao-auth.js';
import { startOpenBao, type OpenBaoServer } from '../../test/support/openbao.js';
import { writePolicy } from '../../test/support/openbao-secrets.js';
import { configureDatabaseEngine, findPostgresBinDir, startPostgres, type PostgresServer } from '../../test/support/postgres.js';
import type { CleanupStack } from './cleanup-stack.js';

export const KV_PATH = 'secret/data/orders/config';
export const DB_CREDS_PATH = 'database/creds/orders';
export const ROLE = 'orders';
const SERVICE_ACCOUNT = 'system:serviceaccount:shop:orders';

export interface DemoVault {
  server: OpenBaoServer;
  /** A service-account-shaped JWT the `orders` role accepts. */
  serviceAccountToken: string;
  /** Why the database part is skipped, when it is. */
  databaseSkipped: string | undefined;
  writeConfig(data: Record<string, string>): Promise<number>;
}

export async function startDemoVault(cleanup: CleanupStack, log: (line: string) => void): Promise<DemoVault> {
  const server = await startOpenBao();
  cleanup.push('OpenBao', () => server.stop());
  log(`OpenBao dev server at ${server.addr} (pid ${server.process.pid})`);
  const root = server.client();

  const writeConfig = async (data: Record<string, string>): Promise<number> => {
    const response = (await root.write(KV_PATH, { data })) as { data?: { version?: number } };
    return response.data?.version ?? 0;
  };
  const version = await writeConfig({ api_key: 'ak-7d4f2b9c1e', endpoint: 'https://payments.example.com', username: 'orders-svc', password: 'hunter2-but-longer' });
  log(`KV v2 secret ${KV_PATH} written (version ${version})`);

  const databaseSkipped = await seedDatabase(server, cleanup, log);
  const policy = [
    `path "secret/data/orders/*" { capabilities = ["read"] }`,
    `path "sys/internal/ui/mounts/*" { capabilities = ["read"] }`,
    databaseSkipped ? '' : `path "${DB_CREDS_PATH}" { capabilities = ["read"] }`,
  ].join('\n');
  await writePolicy(root, 'orders', policy);
  const jwt = await enableJwtAuth(root, 'kubernetes', ROLE, ['orders'], {
    audience: 'vault',
    issuer: 'https://kubernetes.default.svc.cluster.local',
    boundSubject: SERVICE_ACCOUNT,
    tokenTtl: '10m',
  });
  log(`kubernetes auth at auth/kubernetes (OpenBao JWT auth, role "${ROLE}" bound to ${SERVICE_ACCOUNT})`);
  return { server, serviceAccountToken: jwt.signJwt({ sub: SERVICE_ACCOUNT }, 3600), databaseSkipped, writeConfig };
}

async function seedDatabase(server: OpenBaoServer, cleanup: CleanupStack, log: (line: string) => void): Promise<string | undefined> {
  try {
    findPostgresBinDir();
  } catch {
    return 'PostgreSQL server binaries were not found (install Debian\'s postgresql package)';
  }
  let pg: PostgresServer;
  try {
    pg = await startPostgres();
  } catch (error) {
    return `PostgreSQL did not start: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
  }
  cleanup.push('PostgreSQL', () => pg.stop());
  await configureDatabaseEngine(server.client(), pg, { role: ROLE, defaultTtl: '30s', maxTtl: '2m' });
  log(`PostgreSQL on 127.0.0.1:${pg.port} (pid ${pg.process.pid}), database role "${ROLE}" with 30 s credentials`);
  return undefined;
}
