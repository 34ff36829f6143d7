import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { catalogEntries, catalogRows, familyPrefix } from '../../../contract/annotations/index.js';

const upstreamNames = readFileSync(new URL('../../fixtures/vault-k8s-annotation-names.txt', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '' && !line.startsWith('#'));

describe('the annotation catalog', () => {
  it('covers every annotation constant of vault-k8s', () => {
    const ours = new Set(catalogEntries.map((e) => familyPrefix(e).replace(/-$/, '')));
    expect(upstreamNames).toHaveLength(74);
    expect(upstreamNames.filter((name) => !ours.has(name))).toEqual([]);
  });

  it('has one entry per key', () => {
    const keys = catalogEntries.map((e) => e.key);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('marks every key vault-k8s lacks as an extension, and only those', () => {
    const upstream = new Set(upstreamNames);
    for (const entry of catalogEntries) {
      const base = familyPrefix(entry).replace(/-$/, '');
      const isUpstream = upstream.has(base);
      expect({ key: entry.key, extension: entry.extension }).toEqual({ key: entry.key, extension: !isUpstream });
    }
    expect(catalogEntries.filter((e) => e.extension).map((e) => e.key)).toEqual(
      expect.arrayContaining(['agent-native-sidecar', 'agent-template-engine', 'secret-volume-size-limit']),
    );
  });

  it('describes every entry and explains every annotation it does not fully honour', () => {
    for (const entry of catalogEntries) {
      expect(entry.description.length, entry.key).toBeGreaterThan(10);
      if (entry.support !== 'supported') expect(entry.note, entry.key).toBeTruthy();
    }
  });

  it('has defaults that parse with their own value type', () => {
    for (const entry of catalogEntries) {
      if (entry.default !== undefined) expect(entry.type.parse(entry.default).ok, entry.key).toBe(true);
    }
  });

  it('prints rows with the prefix, a description and a default', () => {
    const rows = catalogRows('example.org/');
    expect(rows.every((r) => r.key.startsWith('example.org/') && r.description !== '')).toBe(true);
    expect(rows.find((r) => r.key === 'example.org/agent-limits-cpu')).toMatchObject({ default: '500m', extension: false });
  });
});
