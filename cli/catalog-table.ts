/**
 * The annotation catalog rendered for people: a terminal table for `vault-injector annotations`
 * and the Markdown reference embedded in README.md.
 */
import type { CatalogRow } from '../contract/annotations/index.js';

const SUPPORT_MARK: Record<CatalogRow['support'], string> = {
  supported: '',
  ignored: 'ignored',
  unsupported: 'unsupported',
};

function flags(row: CatalogRow): string {
  return [row.extension ? 'extension' : '', SUPPORT_MARK[row.support]].filter(Boolean).join(', ');
}

/** An aligned plain-text table; descriptions are not wrapped so that grep finds whole lines. */
export function renderCatalogText(rows: readonly CatalogRow[]): string {
  const table = rows.map((row) => [row.key, row.type, row.default ?? '-', flags(row) || '-', row.description]);
  const header = ['KEY', 'TYPE', 'DEFAULT', 'NOTES', 'DESCRIPTION'];
  const widths = header.slice(0, -1).map((title, i) => Math.max(title.length, ...table.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i < widths.length ? cell.padEnd(widths[i]!) : cell)).join('  ').trimEnd();
  return [line(header), ...table.map(line)].join('\n');
}

const escapeCell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');
const code = (text: string) => (text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``);

/** A GitHub-flavoured Markdown table, one row per catalog entry. */
export function renderCatalogMarkdown(rows: readonly CatalogRow[]): string {
  const lines = [
    '| Annotation | Type | Default | Notes | Meaning |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const row of rows) {
    const notes = [flags(row), row.injectorEnv ? `injector: \`${row.injectorEnv}\`` : '', row.note ?? '']
      .filter(Boolean)
      .join('; ');
    // Literal defaults in code style; descriptive ones ("all containers") as prose.
    const def = row.default === null ? '' : escapeCell(row.default.includes(' ') ? row.default : code(row.default));
    lines.push(
      `| ${escapeCell(code(row.key))} | ${escapeCell(row.type)} | ${def} | ${escapeCell(notes)} | ${escapeCell(row.description)} |`,
    );
  }
  return lines.join('\n');
}
