// vitest globalSetup of the integration project: installs the tools (first run only), starts one
// OpenBao and one PostgreSQL shared by the whole run, and hands their coordinates to the tests
// through provide/inject (see shared-test-bed.ts). Tests that need a private server start their own.
import type { TestProject } from 'vitest/node';
import { ensureHelm, helmVersion } from './helm.js';
import { baoVersion, ensureBao, openBaoInfo, startOpenBao, type OpenBaoServer } from './openbao.js';
import { postgresVersion, startPostgres, type PostgresInfo, type PostgresServer } from './postgres.js';
import { removeAbandonedTempDirs } from './temp-dir.js';

/** Paths and versions of what the run really used. */
export interface TestBedTools {
  baoPath: string;
  baoVersion: string;
  helmPath: string;
  helmVersion: string;
  postgresVersion: string;
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = Date.now();
  const swept = await removeAbandonedTempDirs();
  if (swept > 0) console.info(`[test-bed] removed ${swept} temp dir(s) left by killed test processes`);
  const [helm, openbao, postgres] = await Promise.allSettled([
    ensureHelm(),
    ensureBao().then(() => startOpenBao()),
    startPostgres(),
  ]);
  const stopAll = async (): Promise<void> => {
    await Promise.all(
      [openbao, postgres].map((result) =>
        result.status === 'fulfilled' ? (result.value as OpenBaoServer | PostgresServer).stop() : undefined,
      ),
    );
  };
  if (helm.status === 'rejected' || openbao.status === 'rejected' || postgres.status === 'rejected') {
    await stopAll();
    const errors = [helm, openbao, postgres].flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    throw new AggregateError(errors, `test bed setup failed: ${errors.map((e) => String(e)).join('; ')}`);
  }

  const baoPath = await ensureBao();
  const tools: TestBedTools = {
    baoPath,
    baoVersion: await baoVersion(baoPath),
    helmPath: helm.value,
    helmVersion: await helmVersion(helm.value),
    postgresVersion: await postgresVersion(),
  };
  project.provide('openbao', openBaoInfo(openbao.value));
  project.provide('postgres', postgresInfo(postgres.value));
  project.provide('tools', tools);
  console.info(
    `[test-bed] ${tools.baoVersion.replace(/,? committed .*$/, '')} | ${tools.postgresVersion} | ` +
      `helm ${tools.helmVersion} | ready in ${Date.now() - started} ms`,
  );
  return stopAll;
}

// Only plain data crosses to the test workers.
function postgresInfo(server: PostgresServer): PostgresInfo {
  const { host, port, adminUser, adminPassword, database, connectionString } = server;
  return { host, port, adminUser, adminPassword, database, connectionString };
}
