/**
 * The agent's command line. In a pod the agent takes no flags: its config comes from
 * `VAULT_INJECTOR_AGENT_CONFIG`, set by the webhook. The flags are for running it by hand.
 */
import { parseArgs } from 'node:util';
import { AGENT_CONFIG_ENV_VAR } from '../../contract/agent-config/runtime.js';

/** Environment variable of the root-directory override; `--root-dir` wins over it. */
export const ROOT_DIR_ENV_VAR = 'VAULT_INJECTOR_ROOT_DIR';

export interface AgentFlags {
  /** A JSON AgentConfig file, instead of the environment variable. */
  configFile: string | undefined;
  /** Root-directory override (see root-dir.ts), from the flag or the environment. */
  rootDir: string | undefined;
}

export type ParsedAgentFlags =
  | { ok: true; help: true }
  | { ok: true; help: false; flags: AgentFlags }
  | { ok: false; message: string };

export function parseAgentFlags(args: readonly string[], env: Readonly<Record<string, string | undefined>>): ParsedAgentFlags {
  let values: { config?: string | undefined; 'root-dir'?: string | undefined; help?: boolean | undefined };
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: { config: { type: 'string' }, 'root-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: false,
      strict: true,
    }));
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  if (values.help === true) return { ok: true, help: true };
  const rootDir = nonEmpty(values['root-dir']) ?? nonEmpty(env[ROOT_DIR_ENV_VAR]);
  if (values['root-dir'] !== undefined && nonEmpty(values['root-dir']) === undefined) {
    return { ok: false, message: '--root-dir needs a directory' };
  }
  if (values.config !== undefined && nonEmpty(values.config) === undefined) return { ok: false, message: '--config needs a file' };
  return { ok: true, help: false, flags: { configFile: nonEmpty(values.config), rootDir } };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

/** `vault-injector agent --help`. */
export function agentHelp(): string {
  return `Usage: vault-injector agent [--config FILE] [--root-dir DIR]

Runs the Vault agent: logs in to Vault, writes the token sinks, renders every template into its
destination file, and (in sidecar modes) keeps the token and leases alive and re-renders when a
secret changes. The webhook injects it into pods configured through ${AGENT_CONFIG_ENV_VAR}.

Options:
  --config FILE    Read the AgentConfig from a JSON file instead of ${AGENT_CONFIG_ENV_VAR}
                   (for running the agent by hand).
  --root-dir DIR   Read and write every absolute path of the config under DIR: destinations,
                   template sources, token sinks, the home directory, the service-account token,
                   JWT/AppRole/token files and TLS files. /vault/secrets/db becomes
                   DIR/vault/secrets/db. Also from ${ROOT_DIR_ENV_VAR}; the flag wins.
                   Template commands are not rewritten; they see ${ROOT_DIR_ENV_VAR}.
  -h, --help       Print this help.

Modes (config "mode"):
  init             Render every template once, then exit 0. Retries with backoff while Vault is
                   unreachable or a template fails, and gives up after templateConfig.initTimeoutMs
                   with one log line per failing secret.
  sidecar          Run until SIGTERM or SIGINT (or POST /agent/v1/quit with listener.enableQuit);
                   with revokeOnShutdown, revoke the token after revokeGraceSeconds.
  native-sidecar   As sidecar, plus GET <health.path> (default /readyz) on health.port: 503 until
                   every template rendered once, then 200; GET /livez is always 200.

Exit codes:
  0  init: every template rendered; sidecar: stopped by a signal or the quit endpoint.
  1  init timed out; a template or command failed with templateConfig.exitOnRetryFailure;
     login failed with auth.exitOnError; an endpoint could not listen; an unexpected error.
  2  the command line or the configuration is invalid, or a template cannot be compiled
     (every problem is printed, each naming its path in the config).
`;
}
