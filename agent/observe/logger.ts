/**
 * The agent's logger: pino JSON lines. Log metadata, never material — paths, counts, TTLs,
 * statuses, reasons; never secret data, rendered content, tokens or JWTs. Errors go under `err`
 * through an allowlist serializer: raw HTTP-client errors carry request headers (X-Vault-Token)
 * and bodies (login JWTs), so only known-safe fields are copied.
 */
import { pino, type Logger } from 'pino';
import { VaultError } from '../vault/vault-api.js';

export type { Logger };

/** Fields of an error that are safe to log. */
export function serializeError(error: unknown): Record<string, unknown> {
  if (error instanceof VaultError) {
    return { type: error.name, code: error.code, message: error.message, method: error.method, path: error.path, status: error.status, errors: error.errors };
  }
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    // System errors name a syscall and a path, not data; anything else keeps only its class and code.
    return { type: error.name, code, message: code ? error.message : undefined, syscall: (error as NodeJS.ErrnoException).syscall };
  }
  return { type: typeof error };
}

export interface LoggerOptions {
  level: 'trace' | 'debug' | 'info' | 'warn' | 'error';
  /** Where lines go; stdout by default. Tests pass a stream to capture them. */
  destination?: NodeJS.WritableStream;
}

export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      base: { component: 'vault-injector-agent' },
      serializers: { err: serializeError, error: serializeError },
      // A backstop only: the rule is not to pass secrets to the logger at all.
      redact: { paths: ['token', 'jwt', 'secret_id', 'clientToken', '*.token', '*.jwt', '*.clientToken'], censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination ?? process.stdout,
  );
}
