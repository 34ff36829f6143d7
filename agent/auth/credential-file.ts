/**
 * Credential files (service-account token, JWT, role ID, secret ID, token file): read and
 * whitespace-trimmed at every login, so a rotated file is picked up at the next one. A
 * {@link CachedCredential} also keeps the last good value for when the file is gone or empty —
 * Vault Agent's rule for approle, jwt and token_file — and can remove the file after reading.
 */
import { readFileSync } from 'node:fs';
import { realpath, unlink } from 'node:fs/promises';
import type { Logger } from '../observe/logger.js';
import { AuthError, AuthErrorCode } from './auth-result.js';

export interface CredentialFile {
  path: string;
  /** Names the credential in errors and logs, e.g. 'service-account token'. */
  what: string;
}

/**
 * The file's trimmed content; fails when it cannot be read or is empty. Read synchronously: a
 * credential is a few hundred bytes on a local (in a pod, in-memory) volume, and the read is the
 * first step of every login; read asynchronously it took four trips through libuv's thread pool,
 * each waiting for a turn of the event loop, before the login request could go out.
 */
export async function readCredential(file: CredentialFile): Promise<string> {
  let text: string;
  try {
    text = readFileSync(file.path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | undefined)?.code ?? 'unknown error';
    throw new AuthError(AuthErrorCode.credentialUnreadable, `cannot read the ${file.what} file ${file.path} (${code})`);
  }
  const value = text.trim();
  if (value === '') throw new AuthError(AuthErrorCode.credentialEmpty, `the ${file.what} file ${file.path} is empty`);
  return value;
}

export interface CachedCredentialOptions extends CredentialFile {
  /** Delete the file after a successful read. @default false */
  removeAfterReading?: boolean;
  /** When removing, remove the symlink's target rather than the link. @default false */
  removeFollowsSymlinks?: boolean;
  logger: Logger;
}

export class CachedCredential {
  #cached: string | undefined;

  constructor(private readonly options: CachedCredentialOptions) {}

  /** The file's value when it has one (cached from now on), else the cached value. */
  async read(): Promise<string> {
    const fresh = await this.readFresh();
    if (fresh !== undefined) return fresh;
    if (this.#cached !== undefined) return this.#cached;
    // Nothing cached: read again to report why (missing or empty).
    return readCredential(this.options);
  }

  /** Reads the file into the cache; `undefined` when it is missing or empty. */
  async readFresh(): Promise<string | undefined> {
    let value: string;
    try {
      value = await readCredential(this.options);
    } catch {
      return undefined;
    }
    this.#cached = value;
    if (this.options.removeAfterReading) await this.remove();
    return value;
  }

  private async remove(): Promise<void> {
    const { path, what, removeFollowsSymlinks, logger } = this.options;
    try {
      await unlink(removeFollowsSymlinks ? await realpath(path) : path);
    } catch (error) {
      logger.warn({ path, credential: what, err: error }, 'could not remove the credential file after reading it');
    }
  }
}
