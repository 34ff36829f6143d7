import { describe, expect, it } from 'vitest';
import { handlebarsChecker } from '../../../../webhook/templates/check-handlebars.js';

const db = { name: 'db', leftDelimiter: '{{', rightDelimiter: '}}' };

describe('handlebars syntax check', () => {
  it('accepts valid templates', () => {
    expect(handlebarsChecker.check('{{#with (secret "kv/db")}}user={{data.user}}\n{{/with}}', db)).toBeUndefined();
  });

  it('gives line and column of a parse error', () => {
    expect(handlebarsChecker.check('line1\n{{#if x}}\n  {{/if', db)).toMatchObject({ line: 3, column: 3 });
  });

  it('gives the position of a mismatched block', () => {
    expect(handlebarsChecker.check('{{#with x}}y{{/each}}', db)).toEqual({ line: 1, column: 4, reason: "with doesn't match each" });
  });

  it('never quotes the template in its reason', () => {
    const canary = 'canary-7d1e';
    const error = handlebarsChecker.check(`{{#if ${canary}}}{{ .${canary} }}{{/if}}`, db);
    expect(error).toBeDefined();
    expect(JSON.stringify(error)).not.toContain(canary);
  });

  it('leaves handlebars usable for others after an error', () => {
    handlebarsChecker.check('{{#if}', db);
    expect(() => handlebarsChecker.check('{{x', db)).not.toThrow();
    expect(handlebarsChecker.check('{{x}}', db)).toBeUndefined();
  });
});
