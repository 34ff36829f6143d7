import * as z from 'zod';

/**
 * File modes for rendered templates and token sinks. The config carries them as numbers
 * (`0o644` is 420 in JSON) so there is one form to validate; annotation strings such as
 * `"0600"` are converted by the webhook with {@link parseOctalFileMode}.
 *
 * Only the permission bits (0–0o777) are accepted: setuid, setgid and sticky bits have no
 * meaning on a rendered secret file, and a file mode outside that range is more likely a
 * decimal/octal mix-up (`644` written for `0o644`) than an intent.
 */

/** The largest accepted mode: rwx for owner, group and others. */
export const MAX_FILE_MODE = 0o777;

const EXPECTED = 'expected a file mode from 0 to 0o777 (511), e.g. 0o644 (420)';

/** A file mode as a number. */
export const fileMode = z
  .number({ error: EXPECTED })
  .int({ error: EXPECTED })
  .min(0, { error: EXPECTED })
  .max(MAX_FILE_MODE, { error: EXPECTED });

export type ParseFileModeResult = { ok: true; mode: number } | { ok: false; expected: string };

/**
 * Parses an octal mode string as consul-template reads `perms` (Go `strconv.ParseUint(s, 8, 32)`):
 * `"0600"`, `"600"` and `"00600"` all give `0o600`. A `0o` prefix is refused because
 * consul-template refuses it, and a pod that works here must work with Vault Agent too.
 */
export function parseOctalFileMode(text: string): ParseFileModeResult {
  if (!/^[0-7]+$/.test(text)) {
    return { ok: false, expected: 'an octal file mode of digits 0-7, e.g. 0644' };
  }
  const mode = Number.parseInt(text, 8);
  if (mode > MAX_FILE_MODE) {
    return { ok: false, expected: 'an octal file mode up to 0777 (setuid, setgid and sticky bits are not supported)' };
  }
  return { ok: true, mode };
}

/** Formats a mode the way users write it, e.g. `0644`, for messages and previews. */
export function formatFileMode(mode: number): string {
  return `0${mode.toString(8).padStart(3, '0')}`;
}
