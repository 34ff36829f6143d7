/**
 * Builds the agent's V8 startup snapshot (scripts/build.ts calls this after bundling):
 *
 * 1. main.ts bundled as one CommonJS script (a snapshot is built from a single script
 *    that may only `require` built-in modules), every agent module inside it;
 * 2. `node --snapshot-blob agent.blob --build-snapshot` with the node binary running the build,
 *    in an empty environment (nothing of the build machine may end up in the blob), while this
 *    process runs the made-up Vault its rehearsed init run talks to (made-up-vault.ts);
 * 3. the blob test-started (`-- --help`) with that binary;
 * 4. `agent.blob.id`: the binary's size and mtime, which agent.sh compares with the `node` it is
 *    about to run (a blob only works with the binary that built it);
 * 5. agent.sh copied next to them, and undici's source into chunks/ (see undiciFromFile).
 *
 * Built-in modules that Node 20 cannot keep in a snapshot (`node:http` fails to load while
 * building, `node:tls` aborts the build, `child_process`, `worker_threads`, `module`,
 * `async_hooks` are "not verified") are bundled as stand-ins that `require` the real module on
 * first use, at run time. The agent imports `tls`, `http` (endpoints) and `child_process` only
 * inside functions; pino reads `worker_threads.isMainThread` and `module.createRequire` while loading,
 * so those two stand-ins answer that much themselves. Dynamic `import()` does not work in a
 * deserialized snapshot, so no import may stay external: the bundle must not contain one.
 */
import { execFile } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { startMadeUpVault } from './made-up-vault.js';
import { rehearsalFor } from './rehearsal.js';

/** Built-ins loaded on first use instead of while building the snapshot. */
const LAZY_BUILTINS = ['http', 'https', 'http2', 'tls', 'child_process', 'worker_threads', 'module', 'async_hooks', 'perf_hooks', 'inspector'];

/** What a stand-in answers without loading its module (read by dependencies while they load). */
const EARLY_EXPORTS: Record<string, string> = {
  // The agent runs on the main thread; `Worker` (pino transports, never used) loads the real one.
  worker_threads: '{ isMainThread: true, Worker: class Worker { constructor(...args) { return new (load().Worker)(...args); } } }',
  module: '{ createRequire: (...args) => load().createRequire(...args) }',
};

/** A module whose exports are `load()`'s, loaded on first use; `early` answers without loading. */
function standIn(load: string, early = '{}'): string {
  return `let real;
const load = () => (real ??= ${load});
module.exports = new Proxy(${early}, {
  get: (early, key) => (Object.hasOwn(early, key) ? early[key] : load()[key]),
  has: (early, key) => Object.hasOwn(early, key) || key in load(),
  ownKeys: () => Reflect.ownKeys(load()),
  getOwnPropertyDescriptor: (early, key) => {
    const descriptor = Reflect.getOwnPropertyDescriptor(load(), key);
    return descriptor === undefined ? undefined : { ...descriptor, configurable: true };
  },
});
`;
}

const lazyBuiltins: Plugin = {
  name: 'lazy-builtins',
  setup(builder) {
    const filter = new RegExp(`^(node:)?(${LAZY_BUILTINS.join('|')})$`);
    builder.onResolve({ filter }, (args) =>
      args.namespace === 'lazy-builtin' ? { path: `node:${args.path.replace(/^node:/, '')}`, external: true } : { path: args.path.replace(/^node:/, ''), namespace: 'lazy-builtin' },
    );
    builder.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => ({
      contents: standIn(`require(${JSON.stringify(`node:${args.path}`)})`, EARLY_EXPORTS[args.path]),
      loader: 'js',
    }));
  },
};

/** Where undici's source goes, relative to agent.blob (the image copies dist/chunks/ whole). */
export const UNDICI_SOURCE = 'chunks/agent-snapshot-undici.cjs';

/**
 * undici (only for an HTTP proxy) stays out of the snapshot: bundled as one CommonJS file next to
 * the blob ({@link UNDICI_SOURCE}), read and compiled when first used. In the heap it would be
 * thousands of functions (~4 ms of every start); even as one string in the bundle it was half of
 * the script's source (~0.5 MB) that every start deserializes and checksums (~1 ms).
 */
function undiciFromFile(root: string, outdir: string): Plugin {
  return {
    name: 'undici-from-file',
    setup(builder) {
      builder.onResolve({ filter: /^undici$/ }, () => ({ path: 'undici', namespace: 'undici-file' }));
      builder.onLoad({ filter: /.*/, namespace: 'undici-file' }, async () => {
        const bundled = await build({ absWorkingDir: root, entryPoints: ['undici'], bundle: true, platform: 'node', target: 'node20', format: 'cjs', minify: true, write: false, logLevel: 'warning' });
        mkdirSync(join(outdir, dirname(UNDICI_SOURCE)), { recursive: true });
        writeFileSync(join(outdir, UNDICI_SOURCE), bundled.outputFiles[0]?.text ?? '');
        // `node --snapshot-blob B …` (agent.sh) leaves B in execArgv.
        const load = `(() => {
  const { dirname, join, resolve } = require('node:path');
  const args = process.execArgv;
  const at = args.indexOf('--snapshot-blob');
  const blob = at >= 0 ? args[at + 1] : args.find((arg) => arg.startsWith('--snapshot-blob='))?.slice('--snapshot-blob='.length);
  if (blob === undefined) throw new Error('undici is read from next to the snapshot blob, and this process was not started from one');
  const file = join(dirname(resolve(blob)), ${JSON.stringify(UNDICI_SOURCE)});
  const module = { exports: {} };
  require('node:vm').runInThisContext('(function (module, exports, require) {' + require('node:fs').readFileSync(file, 'utf8') + '\\n})', { filename: file })(module, module.exports, require);
  return module.exports;
})()`;
        return { contents: standIn(load), loader: 'js' };
      });
    },
  };
}

export interface AgentSnapshotOptions {
  /** The repository root. */
  root: string;
  /** Where agent.js already is; agent.blob, agent.blob.id and agent.sh are written here. */
  outdir: string;
  /** The node binary that builds (and must later run) the blob. @default process.execPath */
  node?: string;
}

export interface AgentSnapshot {
  blob: string;
  bytes: number;
}

export async function buildAgentSnapshot(options: AgentSnapshotOptions): Promise<AgentSnapshot> {
  const node = options.node ?? process.execPath;
  const outdir = resolve(options.outdir);
  const work = mkdtempSync(join(tmpdir(), 'agent-snapshot-'));
  try {
    const entry = join(work, 'agent-snapshot.cjs');
    await build({
      absWorkingDir: options.root,
      entryPoints: [join(options.root, 'agent/snapshot/main.ts')],
      outfile: entry,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      minify: true,
      logLevel: 'warning',
      plugins: [lazyBuiltins, undiciFromFile(options.root, outdir)],
    });
    const source = readFileSync(entry, 'utf8');
    const external = /\bimport\((["'])([^"'\\]+)\1\)/.exec(source);
    if (external !== null) throw new Error(`the snapshot bundle imports ${external[2]} with import(), which a snapshot cannot do`);

    const blob = join(outdir, 'agent.blob');
    // The rehearsed init run's Vault runs here, not in the process whose heap becomes the blob.
    const vault = await startMadeUpVault();
    let built: { stdout: string; stderr: string };
    try {
      built = await run(node, ['--snapshot-blob', blob, '--build-snapshot', entry, JSON.stringify(rehearsalFor(vault.address))], work);
    } finally {
      await vault.close();
    }
    if (vault.requests.length === 0) throw new Error('the snapshot rehearsal did not reach the made-up Vault');
    // Node warns about built-ins it cannot vouch for in a snapshot: treat that as a failure.
    if (/Warning/.test(built.stderr)) throw new Error(`building the agent snapshot warned:\n${built.stderr}`);
    const started = await run(node, ['--snapshot-blob', blob, '--', '--help'], work);
    if (!started.stdout.startsWith('Usage: vault-injector agent')) throw new Error(`the agent snapshot does not start:\n${started.stdout}${started.stderr}`);

    const binary = statSync(node);
    writeFileSync(
      join(outdir, 'agent.blob.id'),
      `${binary.size} ${Math.floor(binary.mtimeMs / 1_000)}\n` +
        `# agent.blob was built by node ${process.version} (${process.platform}-${process.arch}) at ${node}; agent.sh uses it only\n` +
        "# when `stat -L -c '%s %Y'` of the node on the PATH prints the first line.\n",
    );
    const launcher = join(outdir, 'agent.sh');
    copyFileSync(join(options.root, 'agent/snapshot/agent.sh'), launcher);
    chmodSync(launcher, 0o755);
    return { blob, bytes: statSync(blob).size };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Runs `command` in an empty environment: NODE_OPTIONS (tsx's loader when the build runs under tsx)
 * or anything else of the build machine must not reach the snapshot. Asynchronous, so the made-up
 * Vault keeps answering from this process meanwhile.
 */
function run(command: string, args: string[], cwd: string): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolveRun, reject) => {
    execFile(command, args, { cwd, env: {}, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error === null) resolveRun({ stdout, stderr });
      else reject(new Error(`${command} ${args.join(' ')} failed (${String(error.code ?? error.signal)}):\n${stderr}`));
    });
  });
}
