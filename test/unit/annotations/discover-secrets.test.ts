import { describe, expect, it } from 'vitest';
import { parseAnnotations, type ParseOutcome } from '../../../contract/annotations/index.js';
import { annotations, PREFIX } from '../../builders/annotations.js';

const base = { 'agent-inject': 'true', role: 'app', service: 'https://vault:8200' };
function secretsOf(extra: Record<string, string>) {
  const outcome = parseAnnotations(annotations({ ...base, ...extra }));
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
  return outcome.spec.secrets;
}
const errorKeys = (outcome: ParseOutcome) => (outcome.ok ? [] : outcome.errors.map((e) => e.key));

describe('secret discovery', () => {
  it('lower-cases file names but keeps the declared name for companions', () => {
    const [secret] = secretsOf({ 'agent-inject-secret-Server.CRT': 'pki/issue/web', 'agent-inject-perms-Server.CRT': '0400' });
    expect(secret).toMatchObject({ name: 'Server.CRT', fileName: 'server.crt', destination: '/vault/secrets/server.crt', perms: 0o400 });
  });

  it('keeps case when preserve-secret-case is set globally or per secret', () => {
    expect(secretsOf({ 'agent-inject-secret-Foo': 'a', 'preserve-secret-case': 'true' })[0]!.fileName).toBe('Foo');
    const secrets = secretsOf({
      'agent-inject-secret-Foo': 'a',
      'agent-inject-secret-Bar': 'b',
      'preserve-secret-case-Bar': 'true',
    });
    expect(secrets.map((s) => s.fileName)).toEqual(['Bar', 'foo']);
  });

  it('sorts secrets by name whatever the annotation order', () => {
    const secrets = secretsOf({ 'agent-inject-secret-zeta': 'z', 'agent-inject-secret-alpha': 'a', 'agent-inject-secret-mid': 'm' });
    expect(secrets.map((s) => s.name)).toEqual(['alpha', 'mid', 'zeta']);
  });

  it('reads template-file-<name> as secret <name>, never as secret file-<name>', () => {
    const secrets = secretsOf({ 'agent-inject-template-file-foo': '/vault/custom/foo.tmpl' });
    expect(secrets).toHaveLength(1);
    expect(secrets[0]).toMatchObject({ name: 'foo', template: { kind: 'file', path: '/vault/custom/foo.tmpl' } });
  });

  it('declares a secret from a template alone, and prefers an inline template over a file', () => {
    const [onlyTemplate] = secretsOf({ 'agent-inject-template-cfg': '{{ with secret "kv/cfg" }}{{ end }}' });
    expect(onlyTemplate!.template).toEqual({ kind: 'inline', contents: '{{ with secret "kv/cfg" }}{{ end }}' });
    expect(onlyTemplate!.vaultPath).toBeUndefined();
    const outcome = parseAnnotations(
      annotations({ ...base, 'agent-inject-template-x': 'inline', 'agent-inject-template-file-x': '/vault/custom/x' }),
    );
    expect(outcome.ok && outcome.spec.secrets[0]!.template).toEqual({ kind: 'inline', contents: 'inline' });
    expect(outcome.warnings.map((w) => w.key)).toEqual([`${PREFIX}agent-inject-template-file-x`]);
  });

  it('uses the default template format for a secret with only a path', () => {
    const [secret] = secretsOf({ 'agent-inject-secret-db': 'secret/data/db', 'agent-inject-default-template': 'json' });
    expect(secret!.template).toEqual({ kind: 'default', format: 'json', vaultPath: 'secret/data/db' });
  });

  it('ignores blank declarations and empty names, with a warning', () => {
    const outcome = parseAnnotations(annotations({ ...base, 'agent-inject-secret-foo': '  ', 'agent-inject-secret-': 'x' }));
    expect(outcome.ok && outcome.spec.secrets).toEqual([]);
    expect(outcome.warnings.map((w) => w.key)).toEqual(
      expect.arrayContaining([`${PREFIX}agent-inject-secret-`, `${PREFIX}agent-inject-secret-foo`]),
    );
  });

  it.each([
    [{}, '/vault/secrets/db'],
    [{ 'agent-inject-file-db': 'app.env' }, '/vault/secrets/app.env'],
    [{ 'agent-inject-file-db': '/special/db.txt' }, '/vault/secrets/special/db.txt'],
    [{ 'agent-inject-file-db': 'nested/dir/db' }, '/vault/secrets/nested/dir/db'],
    [{ 'secret-volume-path': '/etc/secrets' }, '/etc/secrets/db'],
    [{ 'secret-volume-path-db': '/etc/db' }, '/etc/db/db'],
    [{ 'secret-volume-path-db': '/etc/db', 'agent-inject-file-db': 'creds' }, '/etc/db/creds'],
  ])('writes to the right destination with %j', (extra, destination) => {
    expect(secretsOf({ 'agent-inject-secret-db': 'secret/db', ...extra })[0]!.destination).toBe(destination);
  });

  it.each(['../../etc/passwd', '..', '', '/'])('refuses agent-inject-file %j that leaves the volume', (file) => {
    const outcome = parseAnnotations(annotations({ ...base, 'agent-inject-secret-db': 'secret/db', 'agent-inject-file-db': file }));
    expect(errorKeys(outcome)).toEqual([`${PREFIX}agent-inject-file-db`]);
  });

  it('refuses two secrets that would write the same file', () => {
    const outcome = parseAnnotations(annotations({ ...base, 'agent-inject-secret-DB': 'a', 'agent-inject-secret-db': 'b' }));
    expect(errorKeys(outcome)).toEqual([`${PREFIX}agent-inject-secret-db`]);
  });

  it('refuses a secret named like the token file when agent-inject-token is on', () => {
    const outcome = parseAnnotations(annotations({ ...base, 'agent-inject-token': 'true', 'agent-inject-secret-token': 'a' }));
    expect(errorKeys(outcome)).toEqual([`${PREFIX}agent-inject-secret-token`]);
  });

  it('reads delimiters, command, missing-key policy and engine per secret', () => {
    const [secret] = secretsOf({
      'agent-inject-secret-db': 'secret/db',
      'agent-template-left-delim-db': '[[',
      'agent-template-right-delim-db': ']]',
      'agent-inject-command-db': 'pkill -HUP app',
      'error-on-missing-key-db': 'True',
      'agent-template-engine-db': 'handlebars',
    });
    expect(secret).toMatchObject({
      leftDelimiter: '[[',
      rightDelimiter: ']]',
      command: 'pkill -HUP app',
      errorOnMissingKey: true,
      engine: 'handlebars',
    });
  });

  it('denies an invalid error-on-missing-key and an invalid perms value', () => {
    const outcome = parseAnnotations(
      annotations({ ...base, 'agent-inject-secret-db': 'a', 'error-on-missing-key-db': 'unknown', 'agent-inject-perms-db': '999' }),
    );
    expect(errorKeys(outcome)).toEqual([`${PREFIX}agent-inject-perms-db`, `${PREFIX}error-on-missing-key-db`]);
  });

  it('warns about companions whose secret is not declared, including a case mismatch', () => {
    const outcome = parseAnnotations(annotations({ ...base, 'agent-inject-secret-Db': 'a', 'agent-inject-file-db': 'x' }));
    expect(outcome.warnings.map((w) => w.key)).toEqual([`${PREFIX}agent-inject-file-db`]);
  });
});
