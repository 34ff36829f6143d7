/**
 * Bundles each program into one standalone ESM file under dist/ with esbuild, so release images
 * need neither node_modules nor TypeScript (and start faster: see reference/toolchain.md §4.3).
 *
 * The agent also gets a V8 startup snapshot (agent/snapshot/): `agent.blob`, built with the node
 * binary running this script, `agent.blob.id` naming that binary, and `agent.sh`, the launcher
 * that starts the blob when the node on the PATH built it and `agent.js` otherwise.
 *
 * Usage: tsx scripts/build.ts [--outdir DIR]
 */
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { buildAgentSnapshot } from '../agent/snapshot/build-snapshot.js';

const root = resolve(import.meta.dirname, '..');

/**
 * Programs to bundle: the CLI (every subcommand) and the two long-running programs' own entry
 * points, which the webhook and agent issues add as webhook/main.ts and agent/main.ts.
 */
const ENTRIES: Record<string, string> = {
  cli: 'cli/main.ts',
  webhook: 'webhook/main.ts',
  agent: 'agent/main.ts',
};

const { values } = parseArgs({ options: { outdir: { type: 'string', default: 'dist' } } });
const outdir = resolve(root, values.outdir);

const present = Object.entries(ENTRIES).filter(([, source]) => existsSync(resolve(root, source)));
const missing = Object.entries(ENTRIES).filter(([, source]) => !existsSync(resolve(root, source)));

const common = {
  absWorkingDir: root,
  outdir,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  minify: true,
  sourcemap: 'linked',
  metafile: true,
  logLevel: 'warning',
  // Some bundled CommonJS dependencies call require(); give the ESM bundle a real one.
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
} as const;

/**
 * The agent starts in every pod, so its start time counts: it is split, and what it imports only
 * when needed (the handlebars engine, undici for an HTTP proxy) lands in `chunks/` and is neither
 * read nor compiled unless used (one bundle: about 1.4 MB to compile at every start).
 */
const SPLIT = new Set(['agent']);

await rm(outdir, { recursive: true, force: true });
const results = await Promise.all([
  build({ ...common, entryPoints: Object.fromEntries(present.filter(([name]) => !SPLIT.has(name))) }),
  ...present
    .filter(([name]) => SPLIT.has(name))
    .map(([name, source]) => build({ ...common, entryPoints: { [name]: source }, splitting: true, chunkNames: `chunks/${name}-[name]-[hash]` })),
]);

for (const result of results) {
  for (const [file, info] of Object.entries(result.metafile.outputs)) {
    if (file.endsWith('.js') && !file.includes('/chunks/')) console.log(`${file}  ${(info.bytes / 1024).toFixed(0)} KiB`);
  }
}
for (const [name, source] of missing) console.log(`${name}: not built yet (${source} does not exist)`);

// After the bundles: the snapshot is test-started, and agent.sh falls back to agent.js.
if (present.some(([name]) => name === 'agent')) {
  const snapshot = await buildAgentSnapshot({ root, outdir });
  console.log(`${relative(root, snapshot.blob)}  ${(snapshot.bytes / 1024).toFixed(0)} KiB (V8 startup snapshot of the agent, node ${process.version})`);
}
