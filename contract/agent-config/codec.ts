// gzipSync/gunzipSync are pure computation on in-memory buffers (no files, network, clock or
// environment), so they keep contract/ free of I/O; the gzip header's mtime is 0, so the same
// config always encodes to the same text.
// No zod here (nor in env-delivery.ts): the agent decodes with this module alone when the config
// carries the webhook's check (config-check.ts); validation is parse.ts.
import { gunzipSync, gzipSync } from 'node:zlib';
import { ROOT_PATH, type AgentConfigError } from './errors.js';
import type { AgentConfig } from './schema.js';

/**
 * How the webhook hands the config to the agent container: in an environment variable, like
 * vault-k8s's `VAULT_CONFIG`. Linux limits one environment string (`NAME=value`) to
 * MAX_ARG_STRLEN = 128 KiB, and vault-k8s's plain base64 JSON breaks above that (vault-k8s#197)
 * — a pod with 200 KiB of templates cannot start. Templates are repetitive text and gzip shrinks
 * them several times over, so the encoding is gzip + base64 behind a prefix that tells the
 * decoder the format. Configs that still do not fit must take another path (the webhook checks
 * {@link encodedAgentConfigFits}).
 */

/** The environment variable of the agent containers that carries the encoded config. */
export const AGENT_CONFIG_ENV_VAR = 'VAULT_INJECTOR_AGENT_CONFIG';

/** Marks gzip + base64; anything without it is plain base64 JSON or raw JSON. */
export const GZIP_BASE64_PREFIX = 'gz64:';

/**
 * Largest encoded config handed over in the environment: MAX_ARG_STRLEN (128 KiB, including
 * the variable name, `=` and the terminating NUL) less 8 KiB of headroom.
 */
export const MAX_ENCODED_AGENT_CONFIG_BYTES = 120 * 1024;

/**
 * Largest config the decoder inflates. Far above any real config, and low enough that a small
 * gzip bomb in a crafted pod spec cannot exhaust the agent's memory.
 */
export const MAX_DECODED_AGENT_CONFIG_BYTES = 16 * 1024 * 1024;

/** Encodes a validated config (defaults included, so the agent runs with what was admitted). */
export function encodeAgentConfig(config: AgentConfig): string {
  return encodeAgentConfigJson(JSON.stringify(config));
}

/** {@link encodeAgentConfig} of a config already in JSON text. */
export function encodeAgentConfigJson(json: string): string {
  // Level 6: on repetitive template text it is ~8x faster than level 9 for ~8 % more bytes, and
  // the webhook encodes on every admission.
  return GZIP_BASE64_PREFIX + gzipSync(Buffer.from(json, 'utf8'), { level: 6 }).toString('base64');
}

/** True when the encoded config can go into the environment variable. */
export function encodedAgentConfigFits(text: string): boolean {
  return Buffer.byteLength(text, 'utf8') <= MAX_ENCODED_AGENT_CONFIG_BYTES;
}

type Decoded = { ok: true; json: string } | { ok: false; message: string };

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Strict base64: `Buffer.from` would skip invalid characters and decode garbage without
 * complaint. Line breaks are allowed, as `base64` wraps its output at 76 columns.
 */
function fromBase64(text: string): Buffer | undefined {
  const compact = text.replace(/\s+/g, '');
  return BASE64.test(compact) && compact.length % 4 !== 1 ? Buffer.from(compact, 'base64') : undefined;
}

function toText(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

function inflate(base64: string): Decoded {
  const compressed = fromBase64(base64);
  if (compressed === undefined) return { ok: false, message: `expected base64 after "${GZIP_BASE64_PREFIX}"` };
  let bytes: Buffer;
  try {
    bytes = gunzipSync(compressed, { maxOutputLength: MAX_DECODED_AGENT_CONFIG_BYTES });
  } catch (error) {
    const tooLarge = error instanceof RangeError;
    return {
      ok: false,
      message: tooLarge
        ? `decompressed config exceeds ${MAX_DECODED_AGENT_CONFIG_BYTES} bytes`
        : 'expected gzip data after base64 decoding',
    };
  }
  const json = toText(bytes);
  return json === undefined ? { ok: false, message: 'expected UTF-8 text after decompressing' } : { ok: true, json };
}

/** Finds the JSON text in any of the three accepted forms. */
function unwrap(text: string): Decoded {
  // Typed as a string, but it comes from the environment at run time: guard anyway.
  if (typeof text !== 'string') return { ok: false, message: 'expected an encoded AgentConfig string' };
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, message: 'expected an encoded AgentConfig, got an empty string' };
  if (trimmed.startsWith(GZIP_BASE64_PREFIX)) return inflate(trimmed.slice(GZIP_BASE64_PREFIX.length));
  if (trimmed.startsWith('{')) return { ok: true, json: trimmed };
  const bytes = fromBase64(trimmed);
  const json = bytes === undefined ? undefined : toText(bytes);
  if (json === undefined || !json.trimStart().startsWith('{')) {
    return { ok: false, message: `expected "${GZIP_BASE64_PREFIX}" + base64 gzip, base64 JSON or a JSON object` };
  }
  return { ok: true, json };
}

/** The JSON text of an encoded config, or what is wrong with the encoding. */
export type AgentConfigTextResult = { readonly ok: true; readonly json: string } | { readonly ok: false; readonly errors: readonly AgentConfigError[] };

/**
 * The JSON text of a config from {@link encodeAgentConfig}, plain base64 JSON or raw JSON (handy
 * when writing one by hand), not yet parsed or validated (parse.ts's decodeAgentConfig does both).
 * Never throws.
 */
export function decodeAgentConfigText(text: string): AgentConfigTextResult {
  const decoded = unwrap(text);
  return decoded.ok ? decoded : { ok: false, errors: [{ path: ROOT_PATH, message: decoded.message }] };
}
