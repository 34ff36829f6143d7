// Secrets engines and policies on an OpenBao/Vault server, each mounted at a path the caller picks
// so that tests sharing one server stay apart (see uniqueName()).
import { randomBytes } from 'node:crypto';
import { toVaultClient, type VaultTarget } from './vault-client.js';
import { waitFor } from './wait-for.js';

/** `<prefix>-<8 hex chars>`: mount, role and policy names that do not collide between tests. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** `sys/mounts/<path>` with the given engine type and mount options. */
export async function enableSecretsEngine(
  target: VaultTarget,
  path: string,
  type: string,
  mountOptions: Record<string, unknown> = {},
): Promise<void> {
  await toVaultClient(target).write(`sys/mounts/${path}`, { type, ...mountOptions });
}

export async function enableKvV1(target: VaultTarget, path: string): Promise<void> {
  await enableSecretsEngine(target, path, 'kv', { options: { version: '1' } });
}

/**
 * Mounts KV v2 and waits until it accepts writes: Vault answers "Upgrading from non-versioned to
 * versioned data" for a moment after mounting. (OpenBao 2.7.2 was writable at once when measured,
 * but the wait costs one request.)
 */
export async function enableKvV2(target: VaultTarget, path: string, timeoutMs = 10_000): Promise<void> {
  const client = toVaultClient(target);
  await enableSecretsEngine(client, path, 'kv', { options: { version: '2' } });
  await waitFor(async () => {
    await client.write(`${path}/config`, { cas_required: false });
    return true;
  }, { what: `KV v2 at ${path}/ to accept writes`, timeoutMs, intervalMs: 50 });
}

export interface PkiMount {
  path: string;
  role: string;
  /** PEM of the generated root CA. */
  caPem: string;
}

export interface EnablePkiOptions {
  /** @default 'test' */
  role?: string;
  /** Domains the role may issue for, subdomains included; @default ['example.com'] (plus localhost) */
  allowedDomains?: string[];
  /** @default 'vault-injector test root CA' */
  commonName?: string;
  /** Longest certificate the role issues; @default '72h' */
  maxTtl?: string;
}

/** Mounts PKI, generates an EC P-256 root CA and a role for the given domains and localhost. */
export async function enablePki(target: VaultTarget, path: string, options: EnablePkiOptions = {}): Promise<PkiMount> {
  const {
    role = 'test',
    allowedDomains = ['example.com'],
    commonName = 'vault-injector test root CA',
    maxTtl = '72h',
  } = options;
  const client = toVaultClient(target);
  await enableSecretsEngine(client, path, 'pki', { config: { max_lease_ttl: '87600h' } });
  const root = (await client.write(`${path}/root/generate/internal`, {
    common_name: commonName,
    ttl: '87600h',
    key_type: 'ec',
    key_bits: 256,
  })) as { data: { certificate: string } };
  await client.write(`${path}/roles/${role}`, {
    allowed_domains: [...allowedDomains, 'localhost'],
    allow_subdomains: true,
    allow_bare_domains: true,
    allow_localhost: true,
    allow_ip_sans: true,
    key_type: 'ec',
    key_bits: 256,
    max_ttl: maxTtl,
  });
  return { path, role, caPem: root.data.certificate };
}

export interface TransitMount {
  path: string;
  key: string;
}

/** Mounts transit and creates one key; @param keyType @default 'aes256-gcm96' */
export async function enableTransit(
  target: VaultTarget,
  path: string,
  key = 'test',
  keyType = 'aes256-gcm96',
): Promise<TransitMount> {
  const client = toVaultClient(target);
  await enableSecretsEngine(client, path, 'transit');
  await client.write(`${path}/keys/${key}`, { type: keyType });
  return { path, key };
}

/** Creates or replaces the ACL policy `name`. */
export async function writePolicy(target: VaultTarget, name: string, hcl: string): Promise<void> {
  await toVaultClient(target).write(`sys/policies/acl/${name}`, { policy: hcl });
}
