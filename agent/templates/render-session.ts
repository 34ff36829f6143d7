/**
 * One render pass: what the template asked for (`used`), what was not fetched yet (`missing`),
 * and how the pass ends. Helpers are synchronous, so a request that is not fetched yet returns
 * nothing and the pass carries on, discovering the rest (consul-template's discovery by
 * execution); the render loop fetches `missing` and renders again.
 */
import type { PkiCertificate, RenderEnvironment, RenderOutcome, SecretLookup, SecretRequest, SecretValue } from './template-engine.js';
import { secretRequestKey } from './template-engine.js';
import { TemplateRenderError } from './template-render-error.js';
import type { VaultSecret } from '../vault/vault-api.js';

type FetchedValue = Exclude<SecretValue, { kind: 'error' }>;

export class RenderSession {
  readonly #used = new Map<string, SecretRequest>();
  readonly #missing = new Map<string, SecretRequest>();

  constructor(
    private readonly secrets: SecretLookup,
    readonly environment: RenderEnvironment,
  ) {}

  get used(): SecretRequest[] {
    return [...this.#used.values()];
  }

  get missing(): SecretRequest[] {
    return [...this.#missing.values()];
  }

  /** A read or write (`secret`); `undefined` while not fetched. */
  secret(request: SecretRequest): VaultSecret | undefined {
    return this.#fetch(request, 'secret')?.secret;
  }

  /** A list (`secrets`); `undefined` while not fetched. */
  list(request: SecretRequest): string[] | undefined {
    return this.#fetch(request, 'list')?.keys;
  }

  /** A certificate (`pkiCert`); `undefined` while not fetched. */
  pkiCert(request: SecretRequest): PkiCertificate | undefined {
    return this.#fetch(request, 'pkiCert')?.certificate;
  }

  #fetch<K extends FetchedValue['kind']>(request: SecretRequest, kind: K): Extract<FetchedValue, { kind: K }> | undefined {
    const key = secretRequestKey(request);
    if (!this.#used.has(key)) this.#used.set(key, request);
    const value = this.secrets.lookup(request);
    if (value === undefined) {
      this.#missing.set(key, request);
      return undefined;
    }
    // The fetch layer's message is safe to log by contract ("no secret exists at <path>").
    if (value.kind === 'error') throw new TemplateRenderError(value.message, true);
    if (value.kind !== kind) {
      throw new TemplateRenderError(`${request.kind} ${request.path}: expected a ${kind} from the fetch layer, got a ${value.kind}`, true);
    }
    return value as Extract<FetchedValue, { kind: K }>;
  }
}

/**
 * Runs one pass and decides its outcome. An error while something is still missing means
 * "not yet" (the missing data may be what the template tripped over), except a failed fetch,
 * which no retry of the render can fix. `describeError` turns any other error into a reason
 * that names no data.
 */
export function runRenderPass(
  secrets: SecretLookup,
  environment: RenderEnvironment,
  pass: (session: RenderSession) => string,
  describeError: (error: unknown) => string,
): RenderOutcome {
  const session = new RenderSession(secrets, environment);
  let content: string;
  try {
    content = pass(session);
  } catch (error) {
    if (error instanceof TemplateRenderError && error.fatal) return { kind: 'failed', reason: error.reason };
    if (session.missing.length > 0) return { kind: 'incomplete', missing: session.missing };
    return { kind: 'failed', reason: error instanceof TemplateRenderError ? error.reason : describeError(error) };
  }
  if (session.missing.length > 0) return { kind: 'incomplete', missing: session.missing };
  return { kind: 'rendered', content, used: session.used };
}
