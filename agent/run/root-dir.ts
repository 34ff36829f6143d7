/**
 * The root-directory override (`--root-dir DIR`, env `VAULT_INJECTOR_ROOT_DIR`): every absolute
 * path in the config — destinations, template sources, token sinks, the home directory, the
 * service-account token, JWT, AppRole and token files, TLS files, the cache directory — is read
 * and written under DIR instead of `/`. So the agent an injected pod would run can run as a plain
 * process on a laptop or in CI: `/vault/secrets/db` becomes `DIR/vault/secrets/db`.
 *
 * Not mapped: template commands (a shell line is opaque; commands get `VAULT_INJECTOR_ROOT_DIR`
 * in their environment instead), paths inside template text, and Vault paths.
 */
import { isAbsolute, join, resolve } from 'node:path';
import type { AgentConfig, AuthConfig } from '../../contract/agent-config/index.js';

/** Maps one absolute config path under `rootDir` (itself absolute). */
export function underRoot(rootDir: string, path: string): string {
  return join(rootDir, path);
}

/** `dir` made absolute against `cwd`; the config's paths are joined onto it. */
export function resolveRootDir(dir: string, cwd: string): string {
  return isAbsolute(dir) ? resolve(dir) : resolve(cwd, dir);
}

/** A copy of `config` with every file-system path moved under `rootDir`; the input is not changed. */
export function applyRootDir(config: AgentConfig, rootDir: string): AgentConfig {
  const map = (path: string): string => underRoot(rootDir, path);
  const mapOptional = (path: string | undefined): string | undefined => (path === undefined ? undefined : map(path));
  const { vault, cache } = config;
  return {
    ...config,
    vault: {
      ...vault,
      caCertPath: mapOptional(vault.caCertPath),
      caPath: mapOptional(vault.caPath),
      clientCertPath: mapOptional(vault.clientCertPath),
      clientKeyPath: mapOptional(vault.clientKeyPath),
    },
    auth: mapAuthPaths(config.auth, map),
    sinks: config.sinks.map((sink) => ({ ...sink, path: map(sink.path) })),
    templates: config.templates.map((template) => ({
      ...template,
      destination: map(template.destination),
      source: mapOptional(template.source),
    })),
    cache: cache?.persist === undefined ? cache : { ...cache, persist: { ...cache.persist, path: map(cache.persist.path) } },
    paths: { ...config.paths, home: map(config.paths.home) },
  };
}

function mapAuthPaths(auth: AuthConfig, map: (path: string) => string): AuthConfig {
  const mapOptional = (path: string | undefined): string | undefined => (path === undefined ? undefined : map(path));
  switch (auth.method) {
    case 'kubernetes':
      return { ...auth, tokenPath: map(auth.tokenPath) };
    case 'jwt':
      return { ...auth, path: map(auth.path) };
    case 'approle':
      return { ...auth, roleIdFilePath: map(auth.roleIdFilePath), secretIdFilePath: mapOptional(auth.secretIdFilePath) };
    case 'token_file':
      return { ...auth, tokenFilePath: map(auth.tokenFilePath) };
    case 'cert':
      return {
        ...auth,
        caCertPath: mapOptional(auth.caCertPath),
        clientCertPath: mapOptional(auth.clientCertPath),
        clientKeyPath: mapOptional(auth.clientKeyPath),
      };
  }
}
