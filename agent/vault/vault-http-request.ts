/**
 * A {@link VaultRequest} as an HTTP request. Pure. `LIST` goes out as `GET ?list=true`: Vault
 * accepts both, and Node-based servers and many proxies refuse the custom verb.
 */
import type { HttpVerb } from './http-transport.js';
import type { VaultMethod, VaultRequest } from './vault-api.js';

export interface HttpRequestParts {
  method: HttpVerb;
  /** `/v1/<path>[?query]`, encoded. */
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface RequestDefaults {
  /** Used when the request names none (Vault's API client behaves the same). */
  namespace?: string;
  userAgent: string;
}

/**
 * The API path without its query string, as errors and logs show it (a query can carry
 * parameters such as `?version=`; nothing secret, but errors name the resource, not the call).
 */
export function pathWithoutQuery(path: string): string {
  const cut = path.search(/[?#]/);
  return (cut === -1 ? path : path.slice(0, cut)).replace(/^\/+/, '');
}

/**
 * `secret/data/my app?version=2` → `/v1/secret/data/my%20app?version=2`; `list` adds `list=true`.
 * The path is taken literally (a `%` is sent as `%25`), as Vault's Go client does.
 */
export function encodeApiPath(path: string, list: boolean): string {
  const cut = path.indexOf('?');
  const rawPath = cut === -1 ? path : path.slice(0, cut);
  const query = new URLSearchParams(cut === -1 ? '' : path.slice(cut + 1));
  if (list) query.set('list', 'true');
  const segments = rawPath
    .replace(/^\/+/, '')
    .split('/')
    .map((segment) => encodeURIComponent(segment));
  const search = query.toString();
  return `/v1/${segments.join('/')}${search === '' ? '' : `?${search}`}`;
}

function httpVerb(method: VaultMethod): HttpVerb {
  return method === 'LIST' ? 'GET' : method;
}

export function toHttpRequest(request: VaultRequest, defaults: RequestDefaults): HttpRequestParts {
  const headers: Record<string, string> = {
    'user-agent': defaults.userAgent,
    // Vault requires this header on some endpoints to block browser-based CSRF; harmless elsewhere.
    'x-vault-request': 'true',
  };
  if (request.token !== undefined && request.token !== '') headers['x-vault-token'] = request.token;
  const namespace = request.namespace ?? defaults.namespace;
  if (namespace !== undefined && namespace !== '') headers['x-vault-namespace'] = namespace;
  const parts: HttpRequestParts = { method: httpVerb(request.method), path: encodeApiPath(request.path, request.method === 'LIST'), headers };
  if (request.body !== undefined && request.method !== 'GET' && request.method !== 'LIST') {
    headers['content-type'] = 'application/json';
    parts.body = JSON.stringify(request.body);
  }
  return parts;
}
