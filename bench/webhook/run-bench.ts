/**
 * Webhook benchmark (not part of `npm test`): bundles the webhook with esbuild as the release
 * image does, starts it on HTTPS pinned to CPU 0 (the load generator runs on CPU 1) with the image's
 * Node flags, and drives POST /mutate with three realistic AdmissionReview sizes: a closed loop of
 * keep-alive connections for throughput, an open loop at a fixed rate for latency, and
 * /proc/<pid>/status VmRSS sampled for the server's memory. The load generator is Go's net/http
 * (go-loadgen.ts, as the API server calls webhooks) when Go is installed, else autocannon and the
 * Node open-loop client (`--generator node` forces those).
 *
 * Usage: npm run bench:webhook -- [--duration S] [--rate N] [--connections N] [--sizes 1,10,100]
 *          [--admit real|memo] [--node-options=--max-semi-space-size=4] [--cpu-prof DIR] [--generator go|node]
 *
 * `--admit memo` serves each review's decision from a cache (see memo-admit-main.ts) to measure the
 * HTTP layer alone; `--cpu-prof` writes a V8 CPU profile of the server (unminified bundle).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { build } from 'esbuild';
import { getFreePort } from '../../test/support/free-port.js';
import { generateTestTls } from '../../test/support/tls.js';
import { waitFor } from '../../test/support/wait-for.js';
import { goLoadgen } from './go-loadgen.js';
import { runOpenLoop, type LatencySummary } from './open-loop.js';
import { WEBHOOK_ENV, WEBHOOK_NODE_FLAGS } from '../../webhook/runtime-flags.js';
import { benchReview, REVIEW_SHAPES } from './reviews.js';

const root = resolve(import.meta.dirname, '../..');
const { values: opts } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    rate: { type: 'string', default: '200' },
    connections: { type: 'string', default: '10' },
    'cpu-prof': { type: 'string' },
    sizes: { type: 'string', default: '1,10,100' },
    admit: { type: 'string', default: 'real' },
    'node-options': { type: 'string', default: '' },
    generator: { type: 'string', default: 'go' },
  },
});
const durationS = Number(opts.duration);
let generatorUsed = '';
const rate = Number(opts.rate);
const connections = Number(opts.connections);

// Pin the load generator to CPU 1 by re-running this script under taskset (once).
const taskset = whichTaskset();
if (taskset && process.env['BENCH_PINNED'] !== '1') {
  const child = spawn(taskset, ['-c', '1', process.execPath, ...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env: { ...process.env, BENCH_PINNED: '1' } });
  process.exitCode = await new Promise<number>((done) => child.on('exit', (code) => done(code ?? 1)));
} else {
  await main();
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'vault-injector-bench-'));
  try {
    const { ca, serving } = await generateTestTls();
    await writeFile(join(dir, 'tls.crt'), serving.certPem);
    await writeFile(join(dir, 'tls.key'), serving.keyPem);
    await bundle(join(dir, 'webhook.mjs'));
    const port = await getFreePort();
    const url = `https://127.0.0.1:${port}`;
    const server = startServer(dir, port);
    await waitFor(() => ready(url, ca.certPem), { what: 'the webhook', timeoutMs: 20_000, abortReason: () => (server.exitCode !== null ? `exited ${server.exitCode}` : undefined) });
    console.log(`server pid ${server.pid} (${taskset ? 'CPU 0' : 'unpinned'}), load generator ${taskset ? 'CPU 1' : 'unpinned'}; Node ${process.version} ${[...WEBHOOK_NODE_FLAGS, opts['node-options']].join(' ').trim()} (as the image); admit: ${opts.admit}`);
    console.log(`idle RSS ${rssMiB(server.pid!).toFixed(1)} MiB\n`);

    const rows: string[][] = [];
    let peakRss = 0;
    const wanted = new Set(opts.sizes.split(',').map((s) => `${s.trim()} KiB`));
    for (const shape of REVIEW_SHAPES.filter((s) => wanted.has(s.label))) {
      // One UID per size, so the memoized decision (--admit memo) belongs to this review.
      const body = benchReview(shape, `bench-${shape.label.replace(' ', '')}-0000-4000-8000-000000000000`);
      const sample = await sanity(url, ca.certPem, body);
      const go = opts.generator === 'go' ? await goLoadgen(join(root, '.cache'), dir, { url, caPem: ca.certPem, body }) : undefined;
      generatorUsed = go ? "Go's net/http (bench/webhook/loadgen)" : 'autocannon and the Node open-loop client';
      const closedLoop = (seconds: number) => (go ? go.closed(connections, seconds) : cannon(url, body, seconds));
      const rss = sampleRss(server.pid!);
      await closedLoop(2); // warm-up
      const cpuBefore = { server: cpuSeconds(server.pid!), client: process.cpuUsage(), children: childrenCpuSeconds(), wall: process.hrtime.bigint() };
      const thr = await closedLoop(durationS);
      const wallS = Number(process.hrtime.bigint() - cpuBefore.wall) / 1e9;
      const serverCpuS = cpuSeconds(server.pid!) - cpuBefore.server;
      const clientCpu = process.cpuUsage(cpuBefore.client);
      const clientCpuS = (clientCpu.user + clientCpu.system) / 1e6 + (childrenCpuSeconds() - cpuBefore.children);
      const lat: LatencySummary = go ? await go.open(rate, durationS) : await runOpenLoop({ url: `${url}/mutate`, body, ca: ca.certPem, rate, durationMs: durationS * 1000 });
      const maxRss = rss.stop();
      peakRss = Math.max(peakRss, maxRss);
      rows.push([shape.label, String(Buffer.byteLength(body)), sample, thr.rps.toFixed(0), String(thr.failed), `${((100 * serverCpuS) / wallS).toFixed(0)}%`, `${((100 * clientCpuS) / wallS).toFixed(0)}%`, (thr.total / serverCpuS).toFixed(0), lat.p50Ms.toFixed(3), lat.p99Ms.toFixed(3), lat.p999Ms.toFixed(3), lat.maxMs.toFixed(2), String(lat.errors), maxRss.toFixed(1)]);
    }
    printTable(['review', 'bytes', 'answer', 'req/s', 'failed', 'srv CPU', 'gen CPU', 'req/CPU-s', 'p50 ms', 'p99 ms', 'p999 ms', 'max ms', 'lat err', 'max RSS MiB'], rows);
    console.log(`\n(load generator: ${generatorUsed}; req/s: ${connections} keep-alive connections, ${durationS} s; srv/gen CPU: share of a core used by the server / the load generator meanwhile;`);
    console.log(` req/CPU-s: requests per second of server CPU, the throughput of one uncontended core; latency: open loop at ${rate} req/s for ${durationS} s)`);
    console.log(`load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')} (other processes on these cores skew wall-clock figures)`);
    const tenKiB = rows.find((r) => r[0] === '10 KiB');
    if (tenKiB) console.log(`target ≥ 8000 req/s on 10 KiB: ${Number(tenKiB[3]) >= 8000 ? 'met' : 'MISSED'} (${tenKiB[3]} req/s measured, ${tenKiB[7]} per CPU-second)`);
    const p99 = (r: string[]): number => Number(r[9]);
    const rssOf = (r: string[]): number => Number(r[13]);
    // The issue states its targets for the 10 KiB review; the other sizes are shown for scale.
    const others = (pass: (r: string[]) => boolean): string => {
      const rest = rows.filter((r) => r !== tenKiB);
      return rest.length === 0 ? '' : `; other sizes: ${rest.map((r) => `${r[0]} ${pass(r) ? 'met' : 'missed'}`).join(', ')}`;
    };
    if (tenKiB) {
      console.log(`target p99 ≤ 2 ms at ${rate} req/s on 10 KiB: ${p99(tenKiB) <= 2 ? 'met' : 'MISSED'} (${tenKiB[9]} ms)${others((r) => p99(r) <= 2)}`);
      console.log(`target RSS ≤ 100 MiB under load on 10 KiB: ${rssOf(tenKiB) <= 100 ? 'met' : 'MISSED'} (peak ${tenKiB[13]} MiB)${others((r) => rssOf(r) <= 100)}; peak over the whole run ${peakRss.toFixed(1)} MiB`);
    }
    server.kill('SIGTERM');
    const code = await new Promise<number | null>((done) => (server.exitCode !== null ? done(server.exitCode) : server.on('exit', (c) => done(c))));
    console.log(`server stopped (exit ${code})${opts['cpu-prof'] ? `; CPU profile in ${opts['cpu-prof']}` : ''}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function bundle(outfile: string): Promise<void> {
  await build({
    absWorkingDir: root,
    entryPoints: [opts.admit === 'memo' ? 'bench/webhook/memo-admit-main.ts' : 'webhook/main.ts'],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    // As scripts/build.ts does, except that a profile needs readable function names.
    minifyWhitespace: true,
    minifySyntax: true,
    minifyIdentifiers: !opts['cpu-prof'],
    logLevel: 'warning',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
}

function startServer(dir: string, port: number): ChildProcess {
  const env = { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AGENT_INJECT_') && k !== 'BENCH_PINNED')), ...WEBHOOK_ENV };
  const prof = opts['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${resolve(opts['cpu-prof'])}`] : [];
  // As the image starts it (Dockerfile.webhook); --node-options come after and can override.
  const nodeOptions = [...WEBHOOK_NODE_FLAGS, ...opts['node-options'].split(' ').filter((o) => o !== '')];
  const args = [...nodeOptions, ...prof, join(dir, 'webhook.mjs'), `--listen=127.0.0.1:${port}`, `--tls-cert-file=${join(dir, 'tls.crt')}`, `--tls-key-file=${join(dir, 'tls.key')}`, '--vault-address=https://vault.vault.svc:8200'];
  const log = openSync(join(dir, 'server.log'), 'a');
  const [command, argv] = taskset ? [taskset, ['-c', '0', process.execPath, ...args]] : [process.execPath, args];
  return spawn(command, argv, { env, stdio: ['ignore', log, log] });
}

async function ready(url: string, ca: string): Promise<true | undefined> {
  const { request } = await import('node:https');
  return new Promise((done) => {
    request(`${url}/health/ready`, { ca, agent: false }, (res) => {
      res.resume();
      done(res.statusCode === 204 ? true : undefined);
    })
      .on('error', () => done(undefined))
      .end();
  });
}

/** One request checked by hand: what the webhook answers for this review. */
async function sanity(url: string, ca: string, body: string): Promise<string> {
  const { request } = await import('node:https');
  const text = await new Promise<string>((done, fail) => {
    const req = request(`${url}/mutate`, { method: 'POST', ca, agent: false, headers: { 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(Buffer.concat(chunks).toString()));
    });
    req.on('error', fail);
    req.end(body);
  });
  const { response } = JSON.parse(text) as { response: { allowed: boolean; patch?: string; status?: { message: string } } };
  if (!response.allowed) throw new Error(`the benchmark review was denied: ${response.status?.message}`);
  const ops = response.patch ? (JSON.parse(Buffer.from(response.patch, 'base64').toString()) as unknown[]).length : 0;
  return `${ops} ops`;
}

async function cannon(url: string, body: string, seconds: number): Promise<{ rps: number; total: number; failed: number }> {
  const result = await autocannon({ url: `${url}/mutate`, method: 'POST', connections, duration: seconds, headers: { 'content-type': 'application/json' }, body });
  return { rps: result.requests.average, total: result.requests.total, failed: result.non2xx + result.errors + result.timeouts };
}

/** User + system CPU time of this process's reaped children (the Go load generator runs), from /proc/self/stat. */
function childrenCpuSeconds(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

/** User + system CPU time of a process, from /proc/<pid>/stat (clock ticks of 1/100 s). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function rssMiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

function sampleRss(pid: number): { stop(): number } {
  let max = rssMiB(pid);
  const timer = setInterval(() => (max = Math.max(max, rssMiB(pid))), 100);
  return { stop: () => (clearInterval(timer), Math.max(max, rssMiB(pid))) };
}

function whichTaskset(): string | undefined {
  try {
    return execFileSync('sh', ['-c', 'command -v taskset'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log('');
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}
