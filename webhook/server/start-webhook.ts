/**
 * Starts the webhook on HTTPS from an InjectorConfig: loads and checks the TLS pair, builds the
 * app, listens, keeps the certificate fresh, and drains on close. No process concerns here
 * (signals, exit codes, env): those belong to main.ts through run-webhook.ts.
 */
import { Server as HttpsServer } from 'node:https';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Admit } from '../admission-types.js';
import type { InjectorConfig } from '../injector-config.js';
import { buildApp } from './build-app.js';
import { checkTlsPair, cipherList, readTlsFiles, secureContextOptions, type TlsPair, type TlsSettings } from './tls-pair.js';
import { createTlsMetrics, startTlsReloader } from './tls-reloader.js';
import { createWebhookMetrics, type WebhookMetrics } from './webhook-metrics.js';

export type WebhookServerConfig = Pick<
  InjectorConfig,
  'host' | 'port' | 'tlsCertFile' | 'tlsKeyFile' | 'tlsMinVersion' | 'tlsCipherSuites' | 'telemetryPath'
>;

export interface StartWebhookOptions {
  config: WebhookServerConfig;
  admit: Admit;
  logger: Logger;
  /** @default metrics with process metrics */
  metrics?: WebhookMetrics;
  /** How often the TLS files are re-read besides directory events. @default 2_000 */
  tlsPollIntervalMs?: number;
}

export interface RunningWebhook {
  readonly app: FastifyInstance;
  /** `https://host:port` as bound (the real port when 0 was asked for). */
  readonly url: string;
  readonly port: number;
  /** The certificate being served. */
  tlsPair(): TlsPair;
  /** Re-reads the TLS files now (tests; the watcher and the poll do it on their own). */
  checkTlsFiles(): Promise<void>;
  /** Reports not ready from now on while still serving (the first step of a drain). */
  markNotReady(): void;
  /**
   * Stops accepting connections, lets in-flight requests finish, and closes. After `timeoutMs`
   * the remaining connections are cut; `forced` says whether that happened.
   */
  close(timeoutMs: number): Promise<{ forced: boolean }>;
  /** Cuts every connection now (a second stop signal). */
  forceClose(): void;
}

/** Throws a TlsLoadError when the TLS files cannot be served. */
export async function startWebhook(options: StartWebhookOptions): Promise<RunningWebhook> {
  const { config, admit, logger, tlsPollIntervalMs } = options;
  const files = { certFile: config.tlsCertFile, keyFile: config.tlsKeyFile };
  const settings: TlsSettings = { minVersion: config.tlsMinVersion, ciphers: cipherList(config.tlsCipherSuites) };
  const initial = checkTlsPair(await readTlsFiles(files), settings);

  const metrics = options.metrics ?? createWebhookMetrics();
  const tlsMetrics = createTlsMetrics(metrics.registry);
  const state = { listening: false, closing: false, notReady: false };
  const app = buildApp({
    admit,
    logger,
    metrics,
    telemetryPath: config.telemetryPath,
    // Ready = serving a checked certificate and not draining; the kubelet probes over the same TLS.
    isReady: () => state.listening && !state.closing && !state.notReady,
    https: secureContextOptions(initial, settings),
  });
  await app.listen({ host: config.host, port: config.port });
  state.listening = true;
  const server = httpsServerOf(app);
  server.on('tlsClientError', (error: NodeJS.ErrnoException) => {
    tlsMetrics.handshakeErrors.inc();
    logger.debug({ code: error.code }, 'TLS handshake failed');
  });

  const reloader = startTlsReloader({
    files,
    settings,
    initial,
    apply: (context) => server.setSecureContext(context),
    logger,
    metrics: tlsMetrics,
    ...(tlsPollIntervalMs !== undefined ? { pollIntervalMs: tlsPollIntervalMs } : {}),
  });

  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  const urlHost = config.host.includes(':') ? `[${config.host}]` : config.host;

  let closed: Promise<{ forced: boolean }> | undefined;
  let forced = false;
  function forceClose(): void {
    forced = true;
    server.closeAllConnections();
  }
  async function close(timeoutMs: number): Promise<{ forced: boolean }> {
    state.closing = true;
    reloader.close();
    // fastify's close stops accepting and waits for open connections; a connection that was busy
    // when it started goes idle once its response is out, so keep reaping idle ones meanwhile.
    const reaper = setInterval(() => server.closeIdleConnections(), 50);
    const timer = setTimeout(forceClose, timeoutMs);
    try {
      await app.close();
    } finally {
      clearInterval(reaper);
      clearTimeout(timer);
    }
    return { forced };
  }

  return {
    app,
    url: `https://${urlHost}:${port}`,
    port,
    tlsPair: () => reloader.current(),
    checkTlsFiles: () => reloader.check(),
    markNotReady: () => void (state.notReady = true),
    close: (timeoutMs) => (closed ??= close(timeoutMs)),
    forceClose,
  };
}

function httpsServerOf(app: FastifyInstance): HttpsServer {
  const server: unknown = app.server;
  if (!(server instanceof HttpsServer)) throw new Error('the webhook server is not an HTTPS server');
  return server;
}
