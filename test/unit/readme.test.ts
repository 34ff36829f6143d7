import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { withGeneratedAnnotations } from '../../scripts/readme-annotations.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('README.md', () => {
  it('carries the annotation reference exactly as the catalog generates it (run `npm run docs`)', () => {
    expect(readme).toBe(withGeneratedAnnotations(readme));
  });

  it('gives the two set-up commands', () => {
    expect(readme).toContain('npm install && npm run demo');
    expect(readme).toContain('npm install && npm test');
  });
});
