import { describe, expect, it } from 'vitest';
import { isOnMount, kvV2ListPath, kvV2ReadPath, splitSecretPath, withQuery } from '../../../../agent/secrets/kv-v2-path.js';

describe('KV v2 read paths get data/ after the mount, as consul-template rewrites them', () => {
  it.each([
    ['secret/foo', 'secret/', 'secret/data/foo'],
    ['secret/foo/bar', 'secret/', 'secret/data/foo/bar'],
    ['secret/data/foo', 'secret/', 'secret/data/foo'],
    ['secret/metadata/foo', 'secret/', 'secret/metadata/foo'],
    ['secret/subkeys/foo', 'secret/', 'secret/subkeys/foo'],
    ['secret', 'secret/', 'secret/data'],
    ['secret/database', 'secret/', 'secret/data/database'],
    ['secret/data', 'secret/', 'secret/data/data'],
    ['kv/team-a/app/config', 'kv/team-a/', 'kv/team-a/data/app/config'],
    ['kv/team-a/data/app', 'kv/team-a/', 'kv/team-a/data/app'],
  ])('%s on mount %s reads %s', (path, mount, expected) => {
    expect(kvV2ReadPath(path, mount)).toBe(expected);
  });
});

describe('KV v2 list paths get metadata/ after the mount', () => {
  it.each([
    ['secret/apps', 'secret/', 'secret/metadata/apps'],
    ['secret', 'secret/', 'secret/metadata'],
    ['secret/metadata/apps', 'secret/', 'secret/metadata/apps'],
    ['kv/team-a/apps', 'kv/team-a/', 'kv/team-a/metadata/apps'],
  ])('%s on mount %s lists %s', (path, mount, expected) => {
    expect(kvV2ListPath(path, mount)).toBe(expected);
  });
});

describe('a query string passes through the rewrite', () => {
  it.each([
    ['secret/foo?version=2', 'secret/foo', 'version=2'],
    ['/secret/foo/', 'secret/foo', ''],
    ['secret/foo', 'secret/foo', ''],
  ])('%s splits into path %s and query %s', (raw, path, query) => {
    expect(splitSecretPath(raw)).toEqual({ path, query });
  });

  it('rewrites the path and keeps ?version=N', () => {
    const { path, query } = splitSecretPath('secret/foo?version=2');
    expect(withQuery(kvV2ReadPath(path, 'secret/'), query)).toBe('secret/data/foo?version=2');
  });
});

describe('a path lies on a mount when the mount is a whole-segment prefix', () => {
  it.each([
    ['secret/foo', 'secret/', true],
    ['secret', 'secret/', true],
    ['secretive/foo', 'secret/', false],
    ['kv/team-a/x', 'kv/team-a/', true],
    ['kv/team-b/x', 'kv/team-a/', false],
  ])('%s on %s: %s', (path, mount, expected) => {
    expect(isOnMount(path, mount)).toBe(expected);
  });
});
