import * as z from 'zod';
import { fileMode } from './file-mode.js';
import { absolutePath, nonEmptyString, positiveDurationMs } from './primitives.js';
import { forEachDuplicate, parsedPath, parsedString, whenParsed } from './refine-helpers.js';

/**
 * Template engines. The webhook picks one per template (an explicit annotation, else detection
 * from the syntax) and records it here, so the agent never guesses.
 */
export const TemplateEngine = {
  /** consul-template compatible (Go `text/template`); output byte-identical to Vault Agent's. */
  go: 'go',
  /** The native engine, with helpers of the same names. */
  handlebars: 'handlebars',
} as const;
export type TemplateEngine = (typeof TemplateEngine)[keyof typeof TemplateEngine];

/** consul-template's default delimiters; handlebars only knows these. */
export const DEFAULT_LEFT_DELIMITER = '{{';
export const DEFAULT_RIGHT_DELIMITER = '}}';

/**
 * A command run in the agent container after the template's file was written with new content
 * (vault-k8s `agent-inject-command-<name>`). Exactly one of `shell` or `argv`:
 * - `shell` is run as `/bin/sh -c <shell>`, which is what consul-template does with a command
 *   string and so what every vault-k8s annotation means (`pkill -HUP app && echo done`). The
 *   webhook puts the annotation here verbatim, so existing pods keep working.
 * - `argv` is executed directly, without a shell: nothing to quote, no shell needed in the image.
 */
export const templateCommandSchema = z
  .strictObject({
    /** Program and arguments, run without a shell. */
    argv: z.array(z.string({ error: 'expected a string' }), { error: 'expected an array of strings' })
      .min(1, { error: 'expected the program and its arguments (at least one string)' })
      .optional(),
    /** A shell command line, run with `/bin/sh -c`. */
    shell: nonEmptyString.optional(),
    /**
     * Kill the command after this long (consul-template's `exec.timeout`).
     * @default 30000
     */
    timeoutMs: positiveDurationMs.default(30_000),
  })
  .superRefine(
    (command, ctx) => {
      if ((command.argv === undefined) === (command.shell === undefined)) {
        ctx.addIssue({ code: 'custom', path: [], message: 'expected exactly one of argv or shell' });
      }
    },
    { when: whenParsed('argv', 'shell') },
  );

/** Secret names become file names and metric labels, so they keep to a safe alphabet. */
const secretName = z
  .string({ error: 'expected a secret name' })
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, {
    error: 'expected a secret name of A-Z a-z 0-9 _ . - starting with a letter or digit',
  })
  .max(253, { error: 'expected a secret name of at most 253 characters' });

/** One rendered file (Vault Agent's `template` block; one per vault-k8s secret). */
export const templateSchema = z
  .strictObject({
    /** The secret's name (the `<name>` of `agent-inject-secret-<name>`); unique in the config. */
    name: secretName,
    /** Absolute path of the rendered file, e.g. `/vault/secrets/db`; unique in the config. */
    destination: absolutePath.refine((value) => !value.endsWith('/'), {
      error: 'expected a file path, not a directory (no trailing /)',
    }),
    /** Which engine renders `contents` or `source`. Required: the agent never guesses. */
    engine: z.enum(TemplateEngine, { error: `expected one of: ${Object.values(TemplateEngine).join(', ')}` }),
    /** Inline template text. Exactly one of `contents` and `source`. */
    contents: z.string({ error: 'expected template text' }).optional(),
    /** Template file in the agent container (vault-k8s `agent-inject-template-file-<name>`). */
    source: absolutePath.optional(),
    /**
     * Left action delimiter (go engine only).
     * @default '{{'
     */
    leftDelimiter: nonEmptyString.default(DEFAULT_LEFT_DELIMITER),
    /**
     * Right action delimiter (go engine only).
     * @default '}}'
     */
    rightDelimiter: nonEmptyString.default(DEFAULT_RIGHT_DELIMITER),
    /**
     * Mode of the rendered file. Vault Agent keeps an existing file's mode when `perms` is unset;
     * destinations live on a fresh in-memory volume, so a fixed default gives the same result
     * and one less thing to depend on.
     * @default 0o644
     */
    perms: fileMode.default(0o644),
    /** Run after each write of new content. */
    command: templateCommandSchema.optional(),
    /**
     * Fail the render when a map key is missing instead of printing `<no value>`.
     * @default false
     */
    errorOnMissingKey: z.boolean().default(false),
    /**
     * Create missing parent directories (mode 0755), so nested `agent-inject-file` paths work.
     * @default true
     */
    createDestDirs: z.boolean().default(true),
    /**
     * Keep the previous content as `<destination>.bak`. consul-template's code default is false,
     * although Vault's docs say true; vault-k8s never sets it, so false matches what pods see.
     * @default false
     */
    backup: z.boolean().default(false),
  })
  .superRefine(
    (template, ctx) => {
      if ((template.contents === undefined) === (template.source === undefined)) {
        ctx.addIssue({ code: 'custom', path: [], message: 'expected exactly one of contents (inline text) or source (a file)' });
      }
    },
    { when: whenParsed('contents', 'source') },
  )
  .superRefine(
    (template, ctx) => {
      if (template.engine !== TemplateEngine.handlebars) return;
      const delimiters = [
        ['leftDelimiter', DEFAULT_LEFT_DELIMITER],
        ['rightDelimiter', DEFAULT_RIGHT_DELIMITER],
      ] as const;
      for (const [key, standard] of delimiters) {
        if (template[key] === standard) continue;
        const message = `handlebars templates use ${standard}; custom delimiters need the go engine`;
        ctx.addIssue({ code: 'custom', path: [key], message });
      }
    },
    { when: whenParsed('engine', 'leftDelimiter', 'rightDelimiter') },
  );

export type AgentTemplate = z.output<typeof templateSchema>;
export type AgentTemplateInput = z.input<typeof templateSchema>;
export type TemplateCommand = z.output<typeof templateCommandSchema>;

/**
 * The templates. Two templates writing one file would overwrite each other on every render, and
 * names key the per-secret metrics, so both are unique; errors name both templates.
 */
export const templateListSchema = z
  .array(templateSchema, { error: 'expected an array of templates' })
  .superRefine(
    (templates, ctx) => {
      const describe = (index: number): string => `templates[${index}] (${JSON.stringify(templates[index]?.name)})`;
      const destinationOf = (template: unknown, index: number) => parsedPath(ctx, template, [index], 'destination');
      forEachDuplicate(templates, destinationOf, (index, first) => {
        const message =
          `${describe(index)} and ${describe(first)} both render ${destinationOf(templates[index], index)}; ` +
          'each file needs its own template';
        ctx.addIssue({ code: 'custom', path: [index, 'destination'], message });
      });
      const nameOf = (template: unknown, index: number) => parsedString(ctx, template, [index], 'name');
      forEachDuplicate(templates, nameOf, (index, first) => {
        const message = `duplicate template name: ${describe(first)} has the same name`;
        ctx.addIssue({ code: 'custom', path: [index, 'name'], message });
      });
    },
    { when: (payload) => Array.isArray(payload.value) },
  );
