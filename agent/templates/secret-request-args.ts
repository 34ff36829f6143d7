/**
 * Turns the arguments of `secret`, `secrets` and `pkiCert` into requests, the way
 * consul-template reads them: the path trimmed of spaces and slashes; any further arguments
 * make a write, each `key=value` with both sides trimmed (empty arguments skipped).
 */
import type { SecretRequest } from './template-engine.js';
import { TemplateRenderError } from './template-render-error.js';

export type SecretFunction = 'secret' | 'secrets' | 'pkiCert';

export function normalizeVaultPath(fn: SecretFunction, path: unknown): string {
  if (typeof path !== 'string') throw new TemplateRenderError(`${fn}: expected a Vault path (a string) as the first argument`);
  const trimmed = path.trim().replace(/^\/+|\/+$/g, '');
  if (trimmed === '') throw new TemplateRenderError(`${fn}: the Vault path is empty`);
  return trimmed;
}

/** `key=value` strings (consul-template) and hash arguments (`common_name="a"`) as write parameters. */
export function parseWriteParams(
  fn: SecretFunction,
  args: readonly unknown[],
  hash: Readonly<Record<string, unknown>> = {},
): Record<string, string> {
  // A Map, then fromEntries: assigning a `__proto__` key to a plain object would drop it.
  const params = new Map<string, string>();
  args.forEach((arg, index) => {
    if (typeof arg !== 'string') throw new TemplateRenderError(`${fn}: argument ${index + 2} must be a "key=value" string`);
    if (arg === '') return;
    const split = arg.indexOf('=');
    if (split < 0) throw new TemplateRenderError(`${fn}: argument ${index + 2} is not a "key=value" pair`);
    params.set(arg.slice(0, split).trim(), arg.slice(split + 1).trim());
  });
  for (const [key, value] of Object.entries(hash)) {
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new TemplateRenderError(`${fn}: parameter ${key} must be a string, number or boolean`);
    }
    params.set(key, String(value));
  }
  return Object.fromEntries(params);
}

/** `secret "path"` reads; `secret "path" "k=v" …` writes (even with only empty arguments, as consul-template). */
export function secretRequest(
  path: unknown,
  args: readonly unknown[],
  hash: Readonly<Record<string, unknown>> = {},
): SecretRequest {
  const normalized = normalizeVaultPath('secret', path);
  if (args.length === 0 && Object.keys(hash).length === 0) return { kind: 'read', path: normalized };
  return { kind: 'write', path: normalized, params: parseWriteParams('secret', args, hash) };
}

export function listRequest(path: unknown): SecretRequest {
  return { kind: 'list', path: normalizeVaultPath('secrets', path) };
}

export function pkiCertRequest(
  path: unknown,
  args: readonly unknown[],
  hash: Readonly<Record<string, unknown>>,
  destination: string,
): SecretRequest {
  const params = parseWriteParams('pkiCert', args, hash);
  return { kind: 'pkiCert', path: normalizeVaultPath('pkiCert', path), params, destination };
}
