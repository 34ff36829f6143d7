// The database secrets engine pointed at a test PostgreSQL: dynamic LOGIN roles with short TTLs,
// so renewal, max-TTL expiry and revocation all happen within a test.
import type { PostgresInfo } from './postgres.js';
import { enableSecretsEngine } from './openbao-secrets.js';
import { toVaultClient, type VaultTarget } from './vault-client.js';

export interface DatabaseEngineOptions {
  /** Mount path of the engine; enabled unless already mounted. @default 'database' */
  mount?: string;
  /** Role whose credentials are read at `<mount>/creds/<role>`. @default 'app' */
  role?: string;
  /** @default '10s' */
  defaultTtl?: string;
  /** @default '30s' */
  maxTtl?: string;
  /** Connection name (`<mount>/config/<connection>`). @default the database name */
  connection?: string;
}

/**
 * Configures `<mount>` to create PostgreSQL roles on `pg` and returns the path to read for
 * credentials, `<mount>/creds/<role>`. Each credential is a LOGIN role valid until its lease
 * expires, allowed to connect and read the public schema; revoking the lease ends its sessions
 * and drops it.
 */
export async function configureDatabaseEngine(
  target: VaultTarget,
  pg: PostgresInfo,
  options: DatabaseEngineOptions = {},
): Promise<string> {
  const { mount = 'database', role = 'app', defaultTtl = '10s', maxTtl = '30s', connection = pg.database } = options;
  const client = toVaultClient(target);
  const mounts = (await client.read('sys/mounts')) as { data: Record<string, unknown> };
  if (!(`${mount}/` in mounts.data)) await enableSecretsEngine(client, mount, 'database');

  await client.write(`${mount}/config/${connection}`, {
    plugin_name: 'postgresql-database-plugin',
    connection_url: `postgresql://{{username}}:{{password}}@${pg.host}:${pg.port}/${pg.database}?sslmode=disable`,
    username: pg.adminUser,
    password: pg.adminPassword,
    allowed_roles: [role],
    verify_connection: true,
  });
  await client.write(`${mount}/roles/${role}`, {
    db_name: connection,
    creation_statements: [
      `CREATE ROLE "{{name}}" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}';`,
      `GRANT CONNECT ON DATABASE "${pg.database}" TO "{{name}}";`,
      'GRANT USAGE ON SCHEMA public TO "{{name}}";',
      'GRANT SELECT ON ALL TABLES IN SCHEMA public TO "{{name}}";',
    ],
    // DROP OWNED also revokes the grants above (including CONNECT on the database), which would
    // otherwise block DROP ROLE.
    revocation_statements: [
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '{{name}}';`,
      'DROP OWNED BY "{{name}}";',
      'DROP ROLE IF EXISTS "{{name}}";',
    ],
    default_ttl: defaultTtl,
    max_ttl: maxTtl,
  });
  return `${mount}/creds/${role}`;
}
