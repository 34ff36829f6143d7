// Throwaway PostgreSQL clusters for tests: Debian's server binaries (not on PATH), a fresh initdb in
// a temp dir, 127.0.0.1 on a free port, a random superuser password, no durability (fsync=off).
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { chmod, chown, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { getFreePort } from './free-port.js';
import { startManagedProcess, type ManagedProcess } from './managed-process.js';
import { runCommand } from './run-command.js';
import { makeTempDir, removeTempDir } from './temp-dir.js';
import { waitFor } from './wait-for.js';

export { configureDatabaseEngine, type DatabaseEngineOptions } from './openbao-database.js';

const DEBIAN_PG_ROOT = '/usr/lib/postgresql';
const SYSTEM_USER = 'postgres';

/** What a test needs to reach a cluster; plain data, so vitest's `provide` can pass it on. */
export interface PostgresInfo {
  host: string;
  port: number;
  adminUser: string;
  adminPassword: string;
  database: string;
  /** `postgresql://…?sslmode=disable`; it contains the password, so never log it. */
  connectionString: string;
}

export interface PostgresServer extends PostgresInfo {
  readonly process: ManagedProcess;
  logTail(maxChars?: number): Promise<string>;
  /** Fast shutdown (SIGINT, what `pg_ctl stop -m fast` sends), then removes the temp dir. */
  stop(): Promise<void>;
}

export interface StartPostgresOptions {
  /** @default a free port, retried on a bind race */
  port?: number;
  /** @default 60_000 */
  startTimeoutMs?: number;
}

/** The `bin` dir of the highest PostgreSQL major under /usr/lib/postgresql, or of `initdb` on PATH. */
export function findPostgresBinDir(): string {
  const majors = existsSync(DEBIAN_PG_ROOT)
    ? readdirSync(DEBIAN_PG_ROOT).filter((name) => /^\d+$/.test(name) && existsSync(join(DEBIAN_PG_ROOT, name, 'bin', 'postgres')))
    : [];
  const highest = majors.sort((a, b) => Number(b) - Number(a))[0];
  if (highest !== undefined) return join(DEBIAN_PG_ROOT, highest, 'bin');
  const onPath = (process.env.PATH ?? '').split(':').find((dir) => dir !== '' && existsSync(join(dir, 'initdb')));
  if (onPath !== undefined) return onPath;
  throw new Error(
    `PostgreSQL server binaries not found in ${DEBIAN_PG_ROOT}/<major>/bin or on PATH; ` +
      "install Debian's 'postgresql' package (apt-get install postgresql)",
  );
}

/** e.g. `postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)`. */
export async function postgresVersion(binDir = findPostgresBinDir()): Promise<string> {
  return (await runCommand(join(binDir, 'postgres'), ['--version'])).stdout.trim();
}

/** A `pg` client config with every field explicit: `pg` fills gaps from PG* environment variables. */
export function pgClientConfig(info: PostgresInfo, login?: { user: string; password: string }): pg.ClientConfig {
  return {
    host: info.host,
    port: info.port,
    database: info.database,
    user: login?.user ?? info.adminUser,
    password: login?.password ?? info.adminPassword,
    ssl: false,
    application_name: 'vault-injector-tests',
    connectionTimeoutMillis: 5_000,
  };
}

/** Runs initdb into a temp dir and starts `postgres` on 127.0.0.1; resolves once it accepts logins. */
export async function startPostgres(options: StartPostgresOptions = {}): Promise<PostgresServer> {
  const binDir = findPostgresBinDir();
  const owner = await serverOwner();
  const tempDir = await makeTempDir('postgres');
  try {
    const adminPassword = randomBytes(18).toString('base64url');
    await initCluster(binDir, tempDir, owner, adminPassword);
    const attempts = options.port === undefined ? 3 : 1;
    for (let attempt = 1; ; attempt++) {
      const port = options.port ?? (await getFreePort());
      try {
        return await startServer(binDir, tempDir, owner, port, adminPassword, options.startTimeoutMs ?? 60_000);
      } catch (err) {
        if (attempt >= attempts) throw err;
      }
    }
  } catch (err) {
    await removeTempDir(tempDir);
    throw err;
  }
}

interface ServerOwner {
  /** Set when we are root: initdb and postgres refuse to run as root, so they run as this user. */
  runAs?: { uid: number; gid: number };
  /** Prefix that runs a one-shot command as the owner. */
  wrap(command: string, args: string[]): [string, string[]];
  chownToOwner(path: string): Promise<void>;
}

// setpriv (util-linux, like runuser) execs the command in place, so the server pid we track *is*
// the postmaster and can be given a parent-death signal (managed-process.ts); runuser would fork
// and, if killed itself, leave the postmaster behind.
async function serverOwner(): Promise<ServerOwner> {
  if (process.getuid?.() !== 0) return { wrap: (command, args) => [command, args], chownToOwner: async () => {} };
  const id = async (flag: string): Promise<number> => {
    const { stdout } = await runCommand('id', [flag, SYSTEM_USER]).catch((err: unknown) => {
      throw new Error(`running PostgreSQL as root needs the '${SYSTEM_USER}' system user (Debian's postgresql package)`, { cause: err });
    });
    return Number(stdout.trim());
  };
  const runAs = { uid: await id('-u'), gid: await id('-g') };
  return {
    runAs,
    wrap: (command, args) => ['setpriv', [`--reuid=${runAs.uid}`, `--regid=${runAs.gid}`, '--init-groups', '--', command, ...args]],
    chownToOwner: (path) => chown(path, runAs.uid, runAs.gid),
  };
}

async function initCluster(binDir: string, tempDir: string, owner: ServerOwner, password: string): Promise<void> {
  await chmod(tempDir, 0o700);
  await owner.chownToOwner(tempDir);
  const pwFile = join(tempDir, 'pwfile');
  await writeFile(pwFile, `${password}\n`, { mode: 0o600 });
  await owner.chownToOwner(pwFile);
  const [command, args] = owner.wrap(join(binDir, 'initdb'), [
    '-D', join(tempDir, 'data'), '-U', SYSTEM_USER, '-A', 'scram-sha-256', `--pwfile=${pwFile}`,
    '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions',
  ]);
  try {
    await runCommand(command, args, { cwd: tempDir, env: serverEnv() });
  } finally {
    await rm(pwFile, { force: true });
  }
}

async function startServer(
  binDir: string, tempDir: string, owner: ServerOwner, port: number, adminPassword: string, startTimeoutMs: number,
): Promise<PostgresServer> {
  const args = [
    '-D', join(tempDir, 'data'), '-c', 'listen_addresses=127.0.0.1', '-c', `port=${port}`,
    '-c', `unix_socket_directories=${tempDir}`, '-c', 'fsync=off', '-c', 'synchronous_commit=off',
    '-c', 'full_page_writes=off',
  ];
  const child = startManagedProcess({
    command: join(binDir, 'postgres'), args, runAs: owner.runAs, env: serverEnv(), cwd: tempDir,
    logFile: join(tempDir, 'postgres.log'), stopSignal: 'SIGINT', stopGraceMs: 10_000,
  });
  const info: PostgresInfo = {
    host: '127.0.0.1', port, adminUser: SYSTEM_USER, adminPassword, database: 'postgres',
    connectionString: `postgresql://${SYSTEM_USER}:${adminPassword}@127.0.0.1:${port}/postgres?sslmode=disable`,
  };
  try {
    await waitFor(() => canLogIn(info), {
      what: `PostgreSQL on 127.0.0.1:${port}`,
      timeoutMs: startTimeoutMs,
      abortReason: () => (child.exitStatus() === undefined ? undefined : `postgres exited (${child.exitStatus()})`),
    });
  } catch (err) {
    const log = await child.logTail([adminPassword]);
    await child.stop();
    throw new Error(`PostgreSQL did not start on port ${port}:\n${log}`, { cause: err });
  }
  return {
    ...info,
    process: child,
    logTail: (maxChars) => child.logTail([adminPassword], maxChars),
    stop: async () => {
      await child.stop();
      await removeTempDir(tempDir);
    },
  };
}

async function canLogIn(info: PostgresInfo): Promise<true> {
  const client = new pg.Client(pgClientConfig(info));
  client.on('error', () => {}); // a refused connection is reported by connect()
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } finally {
    await client.end().catch(() => {});
  }
}

// PG* variables of the developer's shell (PGDATA, PGPORT, …) must not steer initdb or the server.
function serverEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('PG')));
  return { ...env, LC_ALL: 'C' };
}
