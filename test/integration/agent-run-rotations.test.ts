// A reader polling the rendered files every millisecond, on its own thread, across 100 rotations
// never sees a missing, empty or partial file. The render loop runs in-process with the real
// handlebars engine and real atomic writes, fed by a store that changes as fast as the loop
// renders (the real store re-reads a secret at most once a second, which would make 100
// rotations take minutes; agent-run.test.ts covers rotation through OpenBao).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileTemplates, type PreparedTemplate } from '../../agent/render/compile-templates.js';
import { createRenderLoop } from '../../agent/render/render-loop.js';
import type { SecretStore } from '../../agent/secrets/secret-store.js';
import { createHandlebarsEngine } from '../../agent/templates/handlebars/handlebars-engine.js';
import type { SecretRequest, SecretValue } from '../../agent/templates/template-engine.js';
import { parseAgentConfig } from '../../contract/agent-config/index.js';
import { waitFor } from '../support/wait-for.js';

/** Two files of very different sizes: a non-atomic writer would be caught mid-write in the big one. */
const FILES = [
  { name: 'small', size: 8_192 },
  { name: 'big', size: 512 * 1_024 },
] as const;

let dir: string;
beforeAll(async () => (dir = await mkdtemp(join(tmpdir(), 'vault-injector-rotations-'))));
afterAll(() => rm(dir, { recursive: true, force: true }));

function kvSecret(version: number): SecretValue {
  const data = Object.fromEntries(FILES.map((f) => [f.name, `BEGIN-${version}\n${'x'.repeat(f.size)}\nEND-${version}\n`]));
  return { kind: 'secret', secret: { requestId: `r${version}`, leaseId: '', leaseDuration: 0, renewable: false, data: { data, metadata: { version } }, warnings: null, auth: null, wrapInfo: null } };
}

/** A store holding one KV v2 secret that the test replaces at will. */
function aChangingStore(): SecretStore & { set(version: number): void } {
  let value = kvSecret(0);
  const listeners = new Set<(changed: readonly SecretRequest[]) => void>();
  return {
    lookup: () => value,
    fetch: async () => undefined,
    track: () => undefined,
    onChange: (listener) => (listeners.add(listener), () => listeners.delete(listener)),
    freshness: () => [],
    stop: async () => undefined,
    set(version) {
      value = kvSecret(version);
      for (const listener of listeners) listener([{ kind: 'read', path: 'kv/data/fast' }]);
    },
  };
}

async function templates(): Promise<PreparedTemplate[]> {
  const parsed = parseAgentConfig({
    version: 1, mode: 'sidecar', vault: { address: 'http://127.0.0.1:1' }, auth: { method: 'token_file', tokenFilePath: '/t' },
    templates: FILES.map((f) => ({ name: f.name, destination: join(dir, f.name), engine: 'handlebars', contents: `{{#with (secret "kv/data/fast")}}{{Data.data.${f.name}}}{{/with}}` })),
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  const compiled = await compileTemplates(parsed.config.templates, { loadEngine: async () => createHandlebarsEngine() });
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
  return compiled.templates;
}

describe('rendered files under a 1 ms reader', () => {
  it('are never missing, empty or partial across 100 rotations', async () => {
    const store = aChangingStore();
    const logger = pino({ level: 'warn' }, new Writable({ write: (_c, _e, done) => done() }));
    const loop = createRenderLoop({ templates: await templates(), store, logger, env: {}, debounceMs: 5 });
    expect((await loop.renderAll()).complete).toBe(true);
    loop.watch();
    const stop = new SharedArrayBuffer(4);
    const reader = startReader(FILES.map((f) => ({ path: join(dir, f.name), size: f.size })), stop);
    await new Promise((resolve) => setTimeout(resolve, 50));
    for (let version = 1; version <= 100; version++) {
      store.set(version);
      await waitFor(async () => ((await readFile(join(dir, 'big'), 'utf8')).startsWith(`BEGIN-${version}\n`) ? true : undefined), {
        what: `version ${version}`, timeoutMs: 5_000, intervalMs: 2,
      });
      await new Promise((resolve) => setTimeout(resolve, 10)); // let the reader see each version
    }
    Atomics.store(new Int32Array(stop), 0, 1);
    const seen = await reader;
    await loop.stop();
    expect(seen).toMatchObject({ bad: 0, missing: 0 });
    expect(seen.versions).toBe(101);
    expect(seen.reads).toBeGreaterThan(500);
  }, 60_000);
});

interface ReaderResult {
  reads: number;
  bad: number;
  missing: number;
  /** Distinct versions seen whole in every file. */
  versions: number;
}

/** Reads each file every millisecond on another thread until `stop[0]` is set; each read must be one whole version. */
function startReader(files: { path: string; size: number }[], stop: SharedArrayBuffer): Promise<ReaderResult> {
  const code = `
    const { workerData, parentPort } = require('node:worker_threads');
    const { readFileSync } = require('node:fs');
    const stop = new Int32Array(workerData.stop);
    const nap = new Int32Array(new SharedArrayBuffer(4));
    let reads = 0, bad = 0, missing = 0;
    const seen = workerData.files.map(() => new Set());
    while (Atomics.load(stop, 0) === 0) {
      workerData.files.forEach((file, index) => {
        let text;
        try { text = readFileSync(file.path, 'latin1'); } catch { missing++; return; }
        reads++;
        const head = /^BEGIN-(\\d+)\\n/.exec(text);
        const tail = /\\nEND-(\\d+)\\n$/.exec(text);
        const whole = head !== null && tail !== null && head[1] === tail[1] &&
          text.length === head[0].length + file.size + tail[0].length && text.indexOf('x') === head[0].length &&
          text.lastIndexOf('x') === head[0].length + file.size - 1;
        if (whole) seen[index].add(head[1]); else bad++;
      });
      Atomics.wait(nap, 0, 0, 1);
    }
    const common = [...seen[0]].filter((version) => seen.every((set) => set.has(version)));
    parentPort.postMessage({ reads, bad, missing, versions: common.length });
  `;
  const worker = new Worker(code, { eval: true, workerData: { files, stop } });
  return new Promise((resolveResult, reject) => {
    worker.once('message', (result: ReaderResult) => resolveResult(result));
    worker.once('error', reject);
  });
}
