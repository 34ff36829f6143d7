/** How the demo talks: numbered steps, indented details, secret values masked. */
let step = 0;

export function heading(text: string): void {
  step += 1;
  process.stdout.write(`\n${step}. ${text}\n`);
}

export function detail(text: string): void {
  for (const line of text.split('\n')) process.stdout.write(`   ${line}\n`);
}

/** Keeps a short prefix of each value so changes are visible without showing the secret. */
export function maskValue(value: string): string {
  if (value.length <= 4) return '*'.repeat(value.length);
  return `${value.slice(0, 3)}${'*'.repeat(Math.min(value.length - 3, 12))}`;
}

/**
 * Masks the value part of `key: value`, `key=value` and Go `map[k:v ...]` lines, which is what
 * the demo's templates render.
 */
export function maskRendered(content: string): string {
  return content
    .split('\n')
    .map((line) => {
      if (line.includes('map[')) {
        return line.replace(/(\w+):([^\s\]]+)/g, (_, key: string, value: string) => `${key}:${maskValue(value)}`);
      }
      const match = /^(\s*[\w.-]+\s*[:=]\s?)(.*)$/.exec(line);
      return match ? `${match[1]}${maskValue(match[2]!)}` : line;
    })
    .join('\n');
}
