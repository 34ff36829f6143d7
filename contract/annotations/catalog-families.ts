/**
 * Catalog: annotation families. Per-secret keys end in the secret's name; prefix maps end in a
 * free parameter name.
 */
import { OnInvalid, perSecret, prefixMap, Support } from './entry.js';
import { absolutePath, fileMode, goBool, oneOf, text } from './value-types.js';

export const perSecretAnnotations = {
  secret: perSecret({
    key: 'agent-inject-secret-<name>',
    description:
      'Declares secret <name> and the Vault path it reads; rendered with the default template unless a template is given.',
    type: text,
  }),
  template: perSecret({
    key: 'agent-inject-template-<name>',
    description: 'Inline template for secret <name>; wins over agent-inject-template-file-<name>.',
    type: text,
    defaultText: 'the default template',
  }),
  templateFile: perSecret({
    key: 'agent-inject-template-file-<name>',
    description: 'Path, inside the agent container, of a template file for secret <name> (e.g. under /vault/custom).',
    type: absolutePath,
  }),
  file: perSecret({
    key: 'agent-inject-file-<name>',
    description:
      'File name (or relative path) the secret is written to, always inside its secrets volume; beats the 63-character key limit.',
    type: text,
    defaultText: '<name>, lower-cased',
  }),
  perms: perSecret({
    key: 'agent-inject-perms-<name>',
    description: 'Octal permissions of the rendered file, e.g. 0400.',
    type: fileMode,
    defaultText: '0644',
  }),
  command: perSecret({
    key: 'agent-inject-command-<name>',
    description: 'Shell command the agent runs after the file changed (e.g. to make the app reload).',
    type: text,
  }),
  leftDelimiter: perSecret({
    key: 'agent-template-left-delim-<name>',
    description: 'Left action delimiter of the template for secret <name>.',
    type: text,
    default: '{{',
  }),
  rightDelimiter: perSecret({
    key: 'agent-template-right-delim-<name>',
    description: 'Right action delimiter of the template for secret <name>.',
    type: text,
    default: '}}',
  }),
  volumePath: perSecret({
    key: 'secret-volume-path-<name>',
    description: 'Mount path of a separate in-memory volume for secret <name> instead of the shared one.',
    type: absolutePath,
    defaultText: 'secret-volume-path',
  }),
  preserveCase: perSecret({
    key: 'preserve-secret-case-<name>',
    description: 'Keep the case of <name> in its file name; overrides preserve-secret-case.',
    type: goBool,
    defaultText: 'preserve-secret-case',
    onInvalid: OnInvalid.warnAndDefault,
  }),
  errorOnMissingKey: perSecret({
    key: 'error-on-missing-key-<name>',
    description: 'Fail the render of secret <name> when its template reads a key the secret lacks.',
    type: goBool,
    default: 'false',
  }),
  // ---- extensions ----
  engine: perSecret({
    key: 'agent-template-engine-<name>',
    description: 'Template engine for secret <name> (go, handlebars or auto); overrides agent-template-engine.',
    type: oneOf(['auto', 'go', 'handlebars'], true),
    defaultText: 'agent-template-engine',
    extension: true,
  }),
};

export const prefixMapAnnotations = {
  authConfig: prefixMap({
    key: 'auth-config-<param>',
    description:
      'Extra auto-auth parameter <param> (dashes become underscores), passed as a string; auth-config-role is overridden by role.',
    type: text,
  }),
  telemetry: prefixMap({
    key: 'agent-telemetry-<param>',
    description: 'Vault Agent telemetry stanza parameter <param> (dashes become underscores; JSON values decoded).',
    type: text,
    support: Support.ignored,
    note: 'This agent exposes Prometheus metrics on its own endpoint; telemetry stanza settings have no effect.',
  }),
};
