import * as z from 'zod';

/**
 * Building blocks shared by the AgentConfig schema files: durations, paths, ports, names.
 *
 * Messages say what was expected and never repeat the rejected value: the config carries
 * templates and other material that must not end up in logs, and these messages are logged.
 */

/**
 * Upper bound of every `…Ms` duration. Node's timers fire at once (with a warning) for delays
 * above 2^31 − 1 ms (≈ 24.8 days); capping here lets the agent hand any duration to a timer
 * without checking it again.
 */
export const MAX_DURATION_MS = 2_147_483_647;

/** A whole number of milliseconds from 0 up to {@link MAX_DURATION_MS}. */
export const durationMs = z
  .number({ error: 'expected a number of milliseconds' })
  .int({ error: 'expected a whole number of milliseconds' })
  .min(0, { error: 'expected 0 or more milliseconds' })
  .max(MAX_DURATION_MS, { error: `expected at most ${MAX_DURATION_MS} milliseconds (about 24.8 days)` });

/** Like {@link durationMs}, but at least 1 ms: for intervals and timeouts where 0 makes no sense. */
export const positiveDurationMs = durationMs.min(1, { error: 'expected at least 1 millisecond' });

/** A whole number in `[min, max]`; `what` names the quantity in the message. */
export function boundedInteger(min: number, max: number, what: string): z.ZodNumber {
  const expected = `expected ${what}: a whole number from ${min} to ${max}`;
  return z.number({ error: expected }).int({ error: expected }).min(min, { error: expected }).max(max, { error: expected });
}

/** A TCP port the agent listens on. */
export const port = boundedInteger(1, 65_535, 'a TCP port');

/** A string with at least one non-blank character. */
export const nonEmptyString = z
  .string({ error: 'expected a string' })
  .refine((value) => value.trim() !== '', { error: 'expected a non-empty string' });

const NUL = '\u0000';

/**
 * An absolute POSIX path without `..` segments. Destinations are joined by the webhook from
 * user annotations, so refusing `..` here is a second line against a path escaping its volume.
 */
export const absolutePath = z
  .string({ error: 'expected an absolute path' })
  .refine((value) => value.startsWith('/'), { error: 'expected an absolute path (starting with /)' })
  .refine((value) => !value.includes(NUL), { error: 'expected a path without NUL characters' })
  .refine((value) => !value.split('/').includes('..'), { error: 'expected a path without ".." segments' });

/**
 * An http(s) URL. Only the scheme is checked beyond URL syntax: in-cluster addresses such as
 * `http://vault.vault.svc:8200` have hostnames that no public-domain rule would accept.
 */
export const httpUrl = z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' });

/** A URL path served by the agent, e.g. `/metrics`. */
export const httpPath = z
  .string({ error: 'expected a URL path' })
  .regex(/^\/[A-Za-z0-9/_.-]*$/, { error: 'expected a URL path starting with / made of A-Z a-z 0-9 / _ . -' });

const VAULT_PATH_SEGMENT = /^[A-Za-z0-9_.-]+$/;

/**
 * A Vault API path such as an auth mount (`auth/kubernetes`). Limited to `[A-Za-z0-9/_.-]`
 * because node-vault fills path parameters through mustache, which HTML-escapes other
 * characters (`&` becomes `&amp;`) and would send the request elsewhere. Leading and trailing
 * slashes are stripped, as Vault Agent strips the trailing one, so the path joins cleanly
 * after `/v1/`.
 */
export const vaultApiPath = z
  .string({ error: 'expected a Vault path such as auth/kubernetes' })
  .transform((value) => value.replace(/^\/+/, '').replace(/\/+$/, ''))
  .refine(
    (value) => value.split('/').every((segment) => VAULT_PATH_SEGMENT.test(segment) && segment !== '.' && segment !== '..'),
    { error: 'expected a Vault path such as auth/kubernetes: segments of A-Z a-z 0-9 _ . - separated by single slashes' },
  );
