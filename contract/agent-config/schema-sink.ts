import * as z from 'zod';
import { fileMode } from './file-mode.js';
import { absolutePath } from './primitives.js';
import { forEachDuplicate, parsedPath } from './refine-helpers.js';

/** The agent's own token file, which vault-k8s always configures. */
export const DEFAULT_TOKEN_SINK_PATH = '/home/vault/.vault-token';

/** Vault Agent's file sink: the current token, written atomically whenever it changes. */
export const tokenSinkSchema = z.strictObject({
  /** Absolute path of the token file. */
  path: absolutePath,
  /**
   * File mode (Vault Agent's file-sink default).
   * @default 0o640
   */
  mode: fileMode.default(0o640),
});

/**
 * Token files. vault-k8s writes `/home/vault/.vault-token`, plus `<secret-volume-path>/token`
 * with `agent-inject-token`; the webhook lists them explicitly. An empty list is allowed: the
 * agent keeps its token in memory.
 * @default [{ path: '/home/vault/.vault-token', mode: 0o640 }]
 */
export const tokenSinkListSchema = z
  .array(tokenSinkSchema, { error: 'expected an array of token sinks' })
  .superRefine(
    (sinks, ctx) => {
      const pathOf = (sink: unknown, index: number) => parsedPath(ctx, sink, [index], 'path');
      forEachDuplicate(sinks, pathOf, (index, first) => {
        const message = `sinks[${first}] writes the same file ${pathOf(sinks[index], index)}`;
        ctx.addIssue({ code: 'custom', path: [index, 'path'], message });
      });
    },
    { when: (payload) => Array.isArray(payload.value) },
  )
  .default(() => [{ path: DEFAULT_TOKEN_SINK_PATH, mode: 0o640 }]);

export type TokenSink = z.output<typeof tokenSinkSchema>;
