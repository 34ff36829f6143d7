/**
 * One auth method: how the agent gets a token. Methods keep state between logins (cached
 * credentials, a TLS client), so each is an object made once per agent.
 */
import type { VaultClient } from '../../vault/vault-api.js';
import type { AuthResult } from '../auth-result.js';

export interface LoginMethod {
  /** `kubernetes`, `jwt`, `approle`, `token_file`, `cert`. */
  readonly name: string;
  /**
   * Logs in (exactly one login request; `token_file` makes a `lookup-self` instead). A method
   * that has its token before that request answers (`token_file`) passes it to `onToken` first,
   * when given: the caller may use it meanwhile, and treats the login's outcome as its check.
   */
  login(client: VaultClient, signal?: AbortSignal, onToken?: (token: string) => void): Promise<AuthResult>;
  /** Stops timers and releases connections of the method's own. */
  close(): Promise<void>;
}

/** `auth/kubernetes/` → `auth/kubernetes/login`. */
export function loginPath(mountPath: string): string {
  return `${mountPath.replace(/^\/+|\/+$/g, '')}/login`;
}
