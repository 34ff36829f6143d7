/**
 * One auth method: how the agent gets a token. Methods keep state between logins (cached
 * credentials, a TLS client), so each is an object made once per agent.
 */
import type { VaultClient } from '../../vault/vault-api.js';
import type { AuthResult } from '../auth-result.js';

export interface LoginMethod {
  /** `kubernetes`, `jwt`, `approle`, `token_file`, `cert`. */
  readonly name: string;
  /** Logs in (exactly one login request; `token_file` makes a `lookup-self` instead). */
  login(client: VaultClient, signal?: AbortSignal): Promise<AuthResult>;
  /** Stops timers and releases connections of the method's own. */
  close(): Promise<void>;
}

/** `auth/kubernetes/` → `auth/kubernetes/login`. */
export function loginPath(mountPath: string): string {
  return `${mountPath.replace(/^\/+|\/+$/g, '')}/login`;
}
