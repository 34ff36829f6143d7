/**
 * What the render loop needs from a template engine. Templates are rendered synchronously
 * against secrets that were already fetched; a template that asks for something not fetched yet
 * reports it as missing, the loop fetches it and renders again — until nothing is missing
 * (consul-template's dependency discovery by execution, without async helpers).
 */
import type { AgentTemplate } from '../../contract/agent-config/index.js';
import type { VaultSecret } from '../vault/vault-api.js';

/**
 * One thing a template asks of Vault. consul-template's `secret "path"` reads;
 * `secret "path" "k=v" …` writes (e.g. `pki/issue/role`); `secrets "path"` lists; `pkiCert` issues
 * a certificate unless a still-valid one is already in the template's destination.
 */
export type SecretRequest =
  | { kind: 'read'; path: string }
  | { kind: 'write'; path: string; params: Readonly<Record<string, string>> }
  | { kind: 'list'; path: string }
  | { kind: 'pkiCert'; path: string; params: Readonly<Record<string, string>>; destination: string };

/** A stable identity for a request: the same request from several templates is made once. */
export function secretRequestKey(request: SecretRequest): string {
  const params = 'params' in request ? Object.entries(request.params).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) : [];
  return JSON.stringify([request.kind, request.path, params, request.kind === 'pkiCert' ? request.destination : '']);
}

/** A certificate as `pkiCert` exposes it (consul-template field names). */
export interface PkiCertificate {
  Cert: string;
  Key: string;
  CA: string;
  CAChain: string[];
}

/** What the fetch layer has for a request. */
export type SecretValue =
  | { kind: 'secret'; secret: VaultSecret }
  | { kind: 'list'; keys: string[] }
  | { kind: 'pkiCert'; certificate: PkiCertificate }
  /** The request failed for good (e.g. 404 "no secret exists at <path>"); the message is safe to log. */
  | { kind: 'error'; message: string };

/** Synchronous access to fetched data; `undefined` means "not fetched yet". */
export interface SecretLookup {
  lookup(request: SecretRequest): SecretValue | undefined;
}

export interface RenderEnvironment {
  /** For the `env` helper: the agent process's environment. */
  env: Readonly<Record<string, string | undefined>>;
}

export type RenderOutcome =
  /** Some requested data is not fetched yet: fetch `missing`, then render again. */
  | { kind: 'incomplete'; missing: SecretRequest[] }
  /** Complete. `used` lists every request the template made, for refresh scheduling. */
  | { kind: 'rendered'; content: string; used: SecretRequest[] }
  /** The template cannot render with this data (missing key with errorOnMissingKey, a helper error, a failed fetch). */
  | { kind: 'failed'; reason: string };

export interface CompiledTemplate {
  render(lookup: SecretLookup, environment: RenderEnvironment): RenderOutcome;
}

export type CompileResult = { ok: true; template: CompiledTemplate } | { ok: false; reason: string };

/** One engine (handlebars, or go for consul-template syntax). */
export interface TemplateEngine {
  /** `text` is the template's contents, or the file read from `template.source`. */
  compile(template: AgentTemplate, text: string): CompileResult;
}
