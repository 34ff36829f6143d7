/**
 * Checks Go (consul-template) templates at admission time with the agent's own go engine, so a
 * template the agent would refuse denies the pod with the reason instead of failing in its init
 * container. Until the general Go-template engine lands that engine takes vault-k8s's default
 * templates only, and its message says to use handlebars for the rest.
 */
import { createGoEngine } from '../../agent/templates/go/go-engine.js';
import type { TemplateChecker } from './template-syntax-error.js';

const engine = createGoEngine();

export const goChecker: TemplateChecker = {
  check(text, template) {
    const compiled = engine.compile(
      {
        name: template.name,
        destination: '/vault/secrets/check',
        engine: 'go',
        contents: text,
        leftDelimiter: template.leftDelimiter,
        rightDelimiter: template.rightDelimiter,
        perms: 0o644,
        errorOnMissingKey: false,
        createDestDirs: true,
        backup: false,
      },
      text,
    );
    if (compiled.ok) return undefined;
    const match = /^line (\d+): (.*)$/s.exec(compiled.reason);
    return { line: match ? Number(match[1]) : 1, column: 1, reason: match ? match[2]! : compiled.reason };
  },
};
