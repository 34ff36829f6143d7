import { describe, expect, it } from 'vitest';
import { NotAVaultResponse, parseErrorStrings, parseSuccessBody, toVaultSecret } from '../../../../agent/vault/vault-response.js';
import { encodeApiPath, pathWithoutQuery, toHttpRequest } from '../../../../agent/vault/vault-http-request.js';

describe('Vault response mapping', () => {
  it('maps a login answer, auth block included, to camelCase fields', () => {
    const secret = toVaultSecret({
      request_id: 'r-1',
      lease_id: '',
      lease_duration: 0,
      renewable: false,
      data: null,
      warnings: ['a warning'],
      wrap_info: null,
      auth: {
        client_token: 's.token',
        accessor: 'acc',
        policies: ['default', 'app'],
        token_policies: ['default', 'app'],
        metadata: { role: 'app', ignored: 3 },
        lease_duration: 3600,
        renewable: true,
        entity_id: 'e',
      },
    });
    expect(secret).toEqual({
      requestId: 'r-1',
      leaseId: '',
      leaseDuration: 0,
      renewable: false,
      data: null,
      warnings: ['a warning'],
      wrapInfo: null,
      auth: {
        clientToken: 's.token',
        accessor: 'acc',
        policies: ['default', 'app'],
        tokenPolicies: ['default', 'app'],
        metadata: { role: 'app' },
        leaseDuration: 3600,
        renewable: true,
      },
    });
  });

  it("leaves the secret's own keys as they are", () => {
    const secret = toVaultSecret({ lease_id: 'database/creds/app/x', lease_duration: 30, renewable: true, data: { user_name: 'u', nested_map: { inner_key: 1 } } });
    expect(secret.data).toEqual({ user_name: 'u', nested_map: { inner_key: 1 } });
    expect(secret).toMatchObject({ leaseId: 'database/creds/app/x', leaseDuration: 30, renewable: true, auth: null });
  });

  it('camel-cases the wrap_info envelope', () => {
    const secret = toVaultSecret({ wrap_info: { token: 'w', ttl: 60, creation_path: 'auth/approle/role/app/secret-id', wrapped_accessor: 'a' } });
    expect(secret.wrapInfo).toEqual({ token: 'w', ttl: 60, creationPath: 'auth/approle/role/app/secret-id', wrappedAccessor: 'a' });
  });

  it('reads an empty body as an empty answer', () => {
    expect(parseSuccessBody('')).toBeUndefined();
    expect(parseSuccessBody('  \n')).toBeUndefined();
  });

  it.each([['<html>proxy</html>'], ['[1,2]'], ['"text"'], ['{"data": [1]}']])('refuses a body that is not a Vault envelope: %s', (body) => {
    expect(() => parseSuccessBody(body)).toThrow(NotAVaultResponse);
  });

  it("takes only Vault's errors[] strings from an error body", () => {
    expect(parseErrorStrings('{"errors":["permission denied", 3]}')).toEqual(['permission denied']);
    expect(parseErrorStrings('{"errors":[]}')).toEqual([]);
    expect(parseErrorStrings('<html>bad gateway</html>')).toEqual([]);
    expect(parseErrorStrings('{"message":"x"}')).toEqual([]);
  });
});

describe('Vault HTTP requests', () => {
  it('sends LIST as GET with list=true', () => {
    expect(toHttpRequest({ method: 'LIST', path: 'secret/metadata/app' }, { userAgent: 'ua' })).toMatchObject({
      method: 'GET',
      path: '/v1/secret/metadata/app?list=true',
    });
  });

  it('encodes path segments literally and keeps the query', () => {
    expect(encodeApiPath('secret/data/my app?version=2', false)).toBe('/v1/secret/data/my%20app?version=2');
    expect(encodeApiPath('/secret/data/100%', false)).toBe('/v1/secret/data/100%25');
    expect(pathWithoutQuery('/secret/data/app?version=2')).toBe('secret/data/app');
  });

  it('sends the token, the namespace (the default when the request names none) and a JSON body', () => {
    const parts = toHttpRequest({ method: 'PUT', path: 'auth/jwt/login', body: { role: 'r' }, token: 't' }, { userAgent: 'ua', namespace: 'team-a' });
    expect(parts.headers).toEqual({
      'user-agent': 'ua',
      'x-vault-request': 'true',
      'x-vault-token': 't',
      'x-vault-namespace': 'team-a',
      'content-type': 'application/json',
    });
    expect(parts.body).toBe('{"role":"r"}');
    const other = toHttpRequest({ method: 'GET', path: 'x', namespace: 'team-b' }, { userAgent: 'ua', namespace: 'team-a' });
    expect(other.headers['x-vault-namespace']).toBe('team-b');
    expect(other.headers['x-vault-token']).toBeUndefined();
    expect(other.body).toBeUndefined();
  });
});
