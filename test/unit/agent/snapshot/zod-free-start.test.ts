// An agent started by the webhook takes its config as checked (contract/agent-config/config-check.ts)
// and never evaluates zod or the AgentConfig schema: the startup snapshot's heap holds neither
// (~7 ms of every start). Static imports are evaluated when the snapshot is built, so zod and the
// schema modules must be reachable from the snapshot's entry only through dynamic imports
// (agent/run/load-config.ts imports parse.ts when a config has to be validated).
import { resolve } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../../..');

/** Inputs reachable from `entry` through static imports only, with one import chain each. */
function staticallyReachable(metafile: Metafile, entry: string): Map<string, string[]> {
  const chains = new Map<string, string[]>([[entry, [entry]]]);
  const queue = [entry];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    for (const imported of metafile.inputs[next]?.imports ?? []) {
      if (imported.external === true || imported.kind === 'dynamic-import' || chains.has(imported.path)) continue;
      chains.set(imported.path, [...(chains.get(next) ?? []), imported.path]);
      queue.push(imported.path);
    }
  }
  return chains;
}

describe("the agent's startup snapshot", () => {
  it('reaches zod and the AgentConfig schema only through dynamic imports', async () => {
    const { metafile } = await build({
      absWorkingDir: root,
      entryPoints: ['agent/snapshot/main.ts'],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      write: false,
      metafile: true,
      logLevel: 'silent',
      external: ['undici'],
    });
    const reachable = staticallyReachable(metafile, 'agent/snapshot/main.ts');
    const schemaOrZod = [...reachable.keys()].filter((path) => /node_modules\/zod\/|contract\/agent-config\/(schema[^/]*|parse|primitives|refine-helpers|config-rules)\.ts$/.test(path) && !path.endsWith('schema-fingerprint.ts'));
    expect(schemaOrZod.map((path) => reachable.get(path)?.join(' → '))).toEqual([]);
    // …and they are in the bundle, for a config that has to be validated.
    expect(Object.keys(metafile.inputs).some((path) => path.includes('node_modules/zod/'))).toBe(true);
  });
});
