/**
 * How the rest of the agent gets a Vault token. The auth manager logs in, keeps the token
 * renewed, logs in again when it cannot be renewed, expires or is revoked, and writes the token
 * sinks; everyone else only asks for the current token.
 */
export interface TokenProvider {
  /** The current valid token, waiting for a login in progress (rejects only once stopped). */
  token(): Promise<string>;
  /** The current token without waiting, if there is one. */
  current(): string | undefined;
  /**
   * A request with the current token got 403 although it should be allowed: the token was
   * probably revoked. Triggers a fresh login (Vault Agent's self-healing), at most once per token.
   */
  reportInvalid(token: string): void;
  /** Called with every new token after a login (not after a renewal). Returns an unsubscribe. */
  onNewToken(listener: (token: string) => void): () => void;
  /** Revokes the current token (and with it every lease it created). */
  revokeSelf(): Promise<void>;
  /** Stops renewal timers; the token is left valid. */
  stop(): Promise<void>;
}
