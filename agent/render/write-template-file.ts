/**
 * Writes one rendered template to its destination (consul-template's renderer, reference §2.6):
 * unchanged bytes and mode → nothing is written and the command does not run; otherwise an
 * atomic replace, so a reader sees the old file or the new one, never a partial one. With
 * `backup` the previous content stays readable as `<destination>.bak`.
 */
import { randomBytes } from 'node:crypto';
import { link, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { AgentTemplate } from '../../contract/agent-config/index.js';
import { readFileIfExists, writeFileAtomic, type WriteOutcome } from '../files/atomic-write.js';

export async function writeTemplateFile(template: AgentTemplate, content: string): Promise<WriteOutcome> {
  const options = { mode: template.perms, createDirs: template.createDestDirs };
  if (template.backup) await backUpIfChanging(template.destination, content);
  return writeFileAtomic(template.destination, content, options);
}

/**
 * Hard-links the current file to `<path>.bak` when its content is about to change. The link keeps
 * the old inode, which the rename in writeFileAtomic then detaches from `<path>`; linking under a
 * temp name and renaming it over the old `.bak` keeps the backup itself complete at all times.
 */
async function backUpIfChanging(path: string, content: string): Promise<void> {
  const current = await readFileIfExists(path);
  if (current === undefined || current.equals(Buffer.from(content, 'utf8'))) return;
  const backup = `${path}.bak`;
  const temp = join(dirname(path), `.${basename(backup)}.tmp-${randomBytes(6).toString('hex')}`);
  try {
    await link(path, temp);
    await rename(temp, backup);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
