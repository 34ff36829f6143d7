import type { JwtAuth } from './schema-auth.js';

/** Vault Agent's JWT re-read period: 60 s, or 500 ms when the file is removed after reading. */
export function resolveJwtReadPeriodMs(auth: JwtAuth): number {
  if (auth.jwtReadPeriodMs !== undefined) return auth.jwtReadPeriodMs;
  return auth.removeJwtAfterReading ? 500 : 60_000;
}
