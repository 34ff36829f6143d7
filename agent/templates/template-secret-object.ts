/**
 * What templates see of a secret: consul-template's `Secret` and `PemEncoded` field names, so
 * `.Data.data.password`, `.LeaseDuration` and `.Data.Cert` read the same in both engines.
 */
import type { PkiCertificate } from './template-engine.js';
import type { VaultAuth, VaultSecret } from '../vault/vault-api.js';

export interface TemplateSecretAuth {
  ClientToken: string;
  Accessor: string;
  Policies: string[];
  Metadata: Record<string, string> | null;
  LeaseDuration: number;
  Renewable: boolean;
}

export interface TemplateSecretWrapInfo {
  Token: unknown;
  TTL: unknown;
  CreationTime: unknown;
  WrappedAccessor: unknown;
}

/** consul-template's `dependency.Secret`. */
export interface TemplateSecret {
  RequestID: string;
  LeaseID: string;
  /** Seconds. */
  LeaseDuration: number;
  Renewable: boolean;
  /** The response's `data`: `.Data.<key>` for KV v1, `.Data.data.<key>` for KV v2. */
  Data: Record<string, unknown> | null;
  Warnings: string[] | null;
  Auth: TemplateSecretAuth | null;
  WrapInfo: TemplateSecretWrapInfo | null;
}

export function toTemplateSecret(secret: VaultSecret): TemplateSecret {
  return {
    RequestID: secret.requestId,
    LeaseID: secret.leaseId,
    LeaseDuration: secret.leaseDuration,
    Renewable: secret.renewable,
    Data: secret.data,
    Warnings: secret.warnings,
    Auth: secret.auth === null ? null : toTemplateAuth(secret.auth),
    WrapInfo: secret.wrapInfo === null ? null : toTemplateWrapInfo(secret.wrapInfo),
  };
}

function toTemplateAuth(auth: VaultAuth): TemplateSecretAuth {
  return {
    ClientToken: auth.clientToken,
    Accessor: auth.accessor,
    Policies: auth.policies,
    Metadata: auth.metadata,
    LeaseDuration: auth.leaseDuration,
    Renewable: auth.renewable,
  };
}

/** `wrapInfo` is Vault's `wrap_info` with camelCase keys (the adapter's mapping); snake_case is read too. */
function toTemplateWrapInfo(wrapInfo: Record<string, unknown>): TemplateSecretWrapInfo {
  return {
    Token: wrapInfo.token,
    TTL: wrapInfo.ttl,
    CreationTime: wrapInfo.creationTime ?? wrapInfo.creation_time,
    WrappedAccessor: wrapInfo.wrappedAccessor ?? wrapInfo.wrapped_accessor,
  };
}

/** consul-template's `PemEncoded`: `.Cert`, and `.Data.Cert` as its KV-v2-like alias. */
export interface TemplatePkiCert extends PkiCertificate {
  Data: PkiCertificate;
}

export function toTemplatePkiCert(certificate: PkiCertificate): TemplatePkiCert {
  const fields: PkiCertificate = {
    Cert: certificate.Cert,
    Key: certificate.Key,
    CA: certificate.CA,
    CAChain: certificate.CAChain,
  };
  return { ...fields, Data: { ...fields } };
}
