/**
 * The Go load generator of bench/webhook (loadgen/main.go), built into `.cache/` when Go is on
 * the PATH. The API server calls webhooks from Go's net/http, and a Go client's own pauses are far
 * shorter than a Node client's, so it measures the server rather than itself. Without Go the
 * benchmark falls back to autocannon and the Node open-loop client.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { LatencySummary } from './open-loop.js';

const run = promisify(execFile);
const source = resolve(import.meta.dirname, 'loadgen/main.go');

export interface GoLoadgen {
  /** As many requests as `connections` keep-alive connections make in `seconds`. */
  closed(connections: number, seconds: number): Promise<{ rps: number; total: number; failed: number }>;
  /** Requests at a fixed rate for `seconds`, each timed. */
  open(rate: number, seconds: number): Promise<LatencySummary>;
}

/** Builds (when missing or older than its source) and returns the Go load generator, or undefined without Go. */
export async function goLoadgen(cacheDir: string, workDir: string, target: { url: string; caPem: string; body: string }): Promise<GoLoadgen | undefined> {
  if (!hasGo()) return undefined;
  const binary = join(cacheDir, 'bench-loadgen');
  if (!existsSync(binary) || statSync(binary).mtimeMs < statSync(source).mtimeMs) {
    await mkdir(cacheDir, { recursive: true });
    await run('go', ['build', '-o', binary, source], { env: { ...process.env, CGO_ENABLED: '0' } });
  }
  const files = await mkdtemp(join(workDir, 'loadgen-'));
  await writeFile(join(files, 'ca.crt'), target.caPem);
  await writeFile(join(files, 'body.json'), target.body);
  const common = ['-url', `${target.url}/mutate`, '-ca', join(files, 'ca.crt'), '-body', join(files, 'body.json')];
  const invoke = async (args: string[]): Promise<Record<string, number>> => {
    // A child of the benchmark, so on the benchmark's CPU (run-bench.ts pins itself).
    const { stdout } = await run(binary, args, { maxBuffer: 1 << 20 });
    return JSON.parse(stdout) as Record<string, number>;
  };
  return {
    async closed(connections, seconds) {
      const r = await invoke([...common, '-mode', 'closed', '-connections', String(connections), '-duration', `${seconds}s`]);
      return { rps: r['rps']!, total: r['requests']!, failed: r['errors']! };
    },
    async open(rate, seconds) {
      const r = await invoke([...common, '-mode', 'open', '-rate', String(rate), '-duration', `${seconds}s`]);
      return { count: r['count']!, errors: r['errors']!, p50Ms: r['p50Ms']!, p99Ms: r['p99Ms']!, p999Ms: r['p999Ms']!, maxMs: r['maxMs']! };
    },
  };
}

function hasGo(): boolean {
  try {
    execFileSync('go', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
