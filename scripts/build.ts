/**
 * Bundles each program into one standalone ESM file under dist/ with esbuild, so release images
 * need neither node_modules nor TypeScript (and start faster: see reference/toolchain.md §4.3).
 *
 * Usage: tsx scripts/build.ts [--outdir DIR]
 */
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

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

await rm(outdir, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: Object.fromEntries(present.map(([name, source]) => [name, source])),
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
});

for (const [file, info] of Object.entries(result.metafile.outputs)) {
  if (file.endsWith('.js')) console.log(`${file}  ${(info.bytes / 1024).toFixed(0)} KiB`);
}
for (const [name, source] of missing) console.log(`${name}: not built yet (${source} does not exist)`);
