import { describe, expect, it } from 'vitest';
import { formatFileMode, parseOctalFileMode } from '../../../contract/agent-config/index.js';

describe('file modes', () => {
  it.each([
    { text: '0600', mode: 0o600 },
    { text: '600', mode: 0o600 },
    { text: '00644', mode: 0o644 },
    { text: '0777', mode: 0o777 },
    { text: '0', mode: 0 },
  ])('parses "$text" as consul-template does', ({ text, mode }) => {
    expect(parseOctalFileMode(text)).toEqual({ ok: true, mode });
  });

  it.each([
    { text: '', expected: /octal file mode/ },
    { text: '0o600', expected: /digits 0-7/ },
    { text: '0680', expected: /digits 0-7/ },
    { text: ' 0600', expected: /digits 0-7/ },
    { text: '-600', expected: /digits 0-7/ },
    { text: '4755', expected: /setuid/ },
  ])('rejects "$text"', ({ text, expected }) => {
    const result = parseOctalFileMode(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.expected).toMatch(expected);
  });

  it.each([
    { mode: 0o644, text: '0644' },
    { mode: 0o600, text: '0600' },
    { mode: 0o7, text: '0007' },
  ])('formats $mode as $text', ({ mode, text }) => {
    expect(formatFileMode(mode)).toBe(text);
  });
});
