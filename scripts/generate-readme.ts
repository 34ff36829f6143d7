/** Regenerates the annotation reference in README.md from the catalog (`npm run docs`). */
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { withGeneratedAnnotations } from './readme-annotations.js';

const path = resolve(import.meta.dirname, '..', 'README.md');
const before = await readFile(path, 'utf8');
const after = withGeneratedAnnotations(before);
if (after === before) {
  console.log('README.md is up to date');
} else {
  await writeFile(path, after);
  console.log('README.md annotation reference regenerated');
}
