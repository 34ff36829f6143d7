// An open-loop HTTPS load generator for latency: requests leave at a fixed rate whether or not
// earlier ones have been answered (as the API server's admissions arrive), each timed with
// process.hrtime from the moment its body is handed to the socket to the end of its response.
// autocannon's histogram has 1 ms resolution, too coarse for sub-millisecond admissions.
import { Agent, request } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';

export interface OpenLoopOptions {
  url: string;
  body: string;
  ca: string;
  /** Requests per second. */
  rate: number;
  durationMs: number;
  /** Requests sent first and not measured (connections, JIT). @default rate */
  warmupRequests?: number;
}

export interface LatencySummary {
  count: number;
  errors: number;
  p50Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
}

export async function runOpenLoop(options: OpenLoopOptions): Promise<LatencySummary> {
  const { url, body, ca, rate, durationMs, warmupRequests = rate } = options;
  // Enough sockets that a slow answer never delays the next send (open loop), kept alive as the
  // API server keeps its connections to webhooks alive.
  const agent = new Agent({ keepAlive: true, maxSockets: 64, ca });
  const send = (): Promise<number> =>
    new Promise((resolveLatency, reject) => {
      const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } });
      let started = 0n;
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolveLatency(Number(process.hrtime.bigint() - started) / 1e6) : reject(new Error(`HTTP ${res.statusCode}`))));
      });
      req.on('error', reject);
      started = process.hrtime.bigint();
      req.end(body);
    });

  for (let i = 0; i < warmupRequests; i += 8) await Promise.all(Array.from({ length: 8 }, send));

  const intervalNs = BigInt(Math.round(1e9 / rate));
  const total = Math.round((rate * durationMs) / 1000);
  const latencies: number[] = [];
  let errors = 0;
  const pending: Promise<void>[] = [];
  const start = process.hrtime.bigint();
  for (let i = 0; i < total; i++) {
    const due = start + BigInt(i) * intervalNs;
    const waitMs = Number(due - process.hrtime.bigint()) / 1e6;
    if (waitMs > 0) await sleep(waitMs);
    pending.push(send().then((ms) => void latencies.push(ms), () => void errors++));
  }
  await Promise.all(pending);
  agent.destroy();

  latencies.sort((a, b) => a - b);
  const at = (q: number): number => latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)] ?? Number.NaN;
  return { count: latencies.length, errors, p50Ms: at(0.5), p99Ms: at(0.99), p999Ms: at(0.999), maxMs: latencies.at(-1) ?? Number.NaN };
}
