import * as z from 'zod';
import { absolutePath, boundedInteger, httpUrl, nonEmptyString, positiveDurationMs } from './primitives.js';
import { bothOrNeither } from './refine-helpers.js';

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;

/** PEM text holding at least one certificate (a CA bundle may hold several). */
const pemCertificates = z
  .string({ error: 'expected PEM text' })
  .regex(PEM_CERTIFICATE, { error: 'expected PEM text with at least one BEGIN/END CERTIFICATE block' });

/**
 * How the agent reaches Vault (or OpenBao): vault-k8s's `vault` stanza plus the settings it
 * passes as environment variables (`HTTPS_PROXY`, `VAULT_CLIENT_TIMEOUT`, `VAULT_MAX_RETRIES`,
 * `VAULT_CACERT_BYTES`), gathered here so the agent reads no environment of its own.
 */
export const vaultConnectionSchema = z
  .strictObject({
    /** Vault's base URL, e.g. `https://vault.vault.svc:8200`. */
    address: httpUrl,
    /**
     * Namespace (Vault Enterprise / OpenBao) for secret reads, sent as `X-Vault-Namespace`.
     * Login uses `auth.namespace` when that is set.
     */
    namespace: nonEmptyString.optional(),
    /** CA certificate file (vault-k8s `ca-cert`). */
    caCertPath: absolutePath.optional(),
    /** Directory of CA certificates (vault-k8s `ca-key`, which despite its name is Vault's `ca_path`). */
    caPath: absolutePath.optional(),
    /**
     * CA certificates inline, from the injector's cluster-wide CA (vault-k8s
     * `AGENT_INJECT_VAULT_CACERT_BYTES`). As in Vault's API client, takes precedence over
     * `caCertPath` and `caPath` when several are set.
     */
    caCertPem: pemCertificates.optional(),
    /** Client certificate for mutual TLS; needs `clientKeyPath`. */
    clientCertPath: absolutePath.optional(),
    /** Key of `clientCertPath`. */
    clientKeyPath: absolutePath.optional(),
    /** Server name (SNI and verification) when it differs from the address's host. */
    tlsServerName: nonEmptyString.optional(),
    /**
     * Skip TLS verification. Kept for vault-k8s `tls-skip-verify`; the webhook warns when set.
     * @default false
     */
    tlsSkipVerify: z.boolean().default(false),
    /** HTTP(S) proxy for Vault requests (vault-k8s `proxy-address`, upstream an `HTTPS_PROXY` env). */
    proxyAddress: httpUrl.optional(),
    /**
     * Timeout of one Vault HTTP request (vault-k8s `client-timeout`; Vault's API client default).
     * @default 60000
     */
    requestTimeoutMs: positiveDurationMs.default(60_000),
    /**
     * HTTP-level retries of one Vault request (5xx, 412, connection errors), as Vault's API
     * client does (`VAULT_MAX_RETRIES`, vault-k8s `client-max-retries`). Login requests are never
     * retried here: auth has its own backoff (`auth.minBackoffMs`). Template retries are a
     * separate layer (`templateConfig.retry`); upstream the one env var sets both, so the webhook
     * sets both from `client-max-retries`.
     * @default 2
     */
    maxRetries: boundedInteger(0, 100, 'a number of retries').default(2),
  })
  .superRefine(...bothOrNeither('clientCertPath', 'clientKeyPath'));

export type VaultConnection = z.output<typeof vaultConnectionSchema>;
