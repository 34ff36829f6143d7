/**
 * `secret`, `secrets` and `pkiCert`: consul-template's Vault functions. Each records its request;
 * data not fetched yet gives `undefined`, so `{{#with (secret "p")}}` skips its body on the
 * discovery pass. `secret` and `pkiCert` also work as blocks, with `with`'s meaning:
 * `{{#secret "p"}}{{Data.data.password}}{{else}}…{{/secret}}`.
 */
import { compareGoStrings } from '../go-format/go-string-order.js';
import type { RenderSession } from '../render-session.js';
import { listRequest, pkiCertRequest, secretRequest } from '../secret-request-args.js';
import { toTemplatePkiCert, toTemplateSecret } from '../template-secret-object.js';
import { splitHelperArgs, type HelperOptions } from './helper-args.js';

/** What helpers need from the render in progress. */
export interface HelperContext {
  session: RenderSession;
  /** The template's destination, for `pkiCert`'s reuse of a still-valid certificate. */
  destination: string;
}

export type Helper = (this: unknown, ...args: unknown[]) => unknown;

function asBlock(options: HelperOptions, context: unknown, value: unknown): unknown {
  if (options.fn === undefined) return value;
  return value === undefined ? (options.inverse?.(context) ?? '') : options.fn(value);
}

export function createSecretHelpers(current: () => HelperContext): Record<string, Helper> {
  return {
    secret(...args) {
      const { params, options } = splitHelperArgs(args);
      const [path, ...rest] = params;
      const found = current().session.secret(secretRequest(path, rest, options.hash));
      return asBlock(options, this, found === undefined ? undefined : toTemplateSecret(found));
    },
    secrets(...args) {
      const { params } = splitHelperArgs(args);
      const keys = current().session.list(listRequest(params[0]));
      // consul-template sorts list results.
      return keys === undefined ? undefined : [...keys].sort(compareGoStrings);
    },
    pkiCert(...args) {
      const { params, options } = splitHelperArgs(args);
      const [path, ...rest] = params;
      const { session, destination } = current();
      const found = session.pkiCert(pkiCertRequest(path, rest, options.hash, destination));
      return asBlock(options, this, found === undefined ? undefined : toTemplatePkiCert(found));
    },
  };
}
