/**
 * `npm run demo`: the whole product on one machine, no cluster. A local OpenBao, the webhook on
 * HTTPS, the example Deployment's pod admitted and mutated, the injected agent run exactly as the
 * patch configures it (init, then sidecar) with /vault/secrets mapped to a temporary directory,
 * and a secret rotation picked up by the sidecar. Everything is stopped and removed at the end,
 * also on Ctrl-C.
 *
 * Options: --rotation-interval DURATION (how often the sidecar re-reads static secrets; default 3s)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generateCa, issueServingCertificate } from '../certs/generate-certificates.js';
import { getFreePort } from '../test/support/free-port.js';
import { admitOverHttps, containerEnv, examplePod, summarizePatchedPod } from './demo/admission.js';
import { CleanupStack } from './demo/cleanup-stack.js';
import { detail, heading, maskRendered } from './demo/print.js';
import { KV_PATH, startDemoVault } from './demo/seed-vault.js';

const root = resolve(import.meta.dirname, '..');
const cli = join(root, 'bin', 'vault-injector');
const SA_TOKEN_PATH = '/var/run/secrets/kubernetes.io/serviceaccount/token';
const SECRETS_DIR = '/vault/secrets';

const { values } = parseArgs({ options: { 'rotation-interval': { type: 'string', default: '3s' } } });
const rotationInterval = values['rotation-interval'];
const cleanup = new CleanupStack();
/** Processes the demo is stopping on purpose, whose exit is not a failure. */
const stopping = new Set<ChildProcess>();
const startedMs = Date.now();

process.on('SIGINT', () => {
  process.stdout.write('\ninterrupted: stopping everything\n');
  void cleanup.runAll(detail).then(() => process.exit(130));
});

try {
  await main();
  await cleanup.runAll(detail);
  process.stdout.write(`\nDone in ${((Date.now() - startedMs) / 1000).toFixed(1)} s; every process stopped, temporary files removed.\n`);
} catch (error) {
  process.stderr.write(`\ndemo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  await cleanup.runAll(detail);
  process.exitCode = 1;
}

async function main(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'vault-injector-demo-'));
  cleanup.push('temporary directory', () => rm(work, { recursive: true, force: true }));
  const podRoot = join(work, 'pod');

  heading('Start a local OpenBao dev server and seed it');
  const vault = await startDemoVault(cleanup, detail);
  if (vault.databaseSkipped) detail(`database credentials skipped: ${vault.databaseSkipped}`);

  heading('Generate a CA and serving certificate, start the webhook on loopback');
  const tlsDir = join(work, 'webhook-tls');
  const ca = await generateCa();
  const serving = await issueServingCertificate(ca, { dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] });
  await mkdir(tlsDir, { recursive: true });
  await writeFile(join(tlsDir, 'tls.crt'), serving.certPem);
  await writeFile(join(tlsDir, 'tls.key'), serving.keyPem, { mode: 0o600 });
  const port = await getFreePort();
  const webhookUrl = `https://127.0.0.1:${port}`;
  const webhook = startProcess('webhook', [cli, 'webhook'], join(work, 'webhook.log'), {
    AGENT_INJECT_LISTEN: `127.0.0.1:${port}`,
    AGENT_INJECT_TLS_CERT_FILE: join(tlsDir, 'tls.crt'),
    AGENT_INJECT_TLS_KEY_FILE: join(tlsDir, 'tls.key'),
    AGENT_INJECT_VAULT_ADDR: vault.server.addr,
    AGENT_INJECT_TEMPLATE_STATIC_SECRET_RENDER_INTERVAL: rotationInterval,
  });
  await waitUntil(() => httpsStatus(`${webhookUrl}/health/ready`, ca.certPem).then((s) => s === 204), 20_000, 'the webhook to be ready');
  detail(`webhook ready at ${webhookUrl} (pid ${webhook.pid}), certificate for localhost and 127.0.0.1`);

  heading('Admit the example Deployment\'s pod through the webhook');
  const pod = await examplePod(join(root, 'examples', 'deployment.yaml'), vault.databaseSkipped === undefined);
  const admission = await admitOverHttps(webhookUrl, ca.certPem, pod);
  detail(summarizePatchedPod(admission).join('\n'));

  heading('Run the injected init container: vault-agent-init');
  await mkdir(dirname(join(podRoot, SA_TOKEN_PATH)), { recursive: true });
  await writeFile(join(podRoot, SA_TOKEN_PATH), vault.serviceAccountToken, { mode: 0o600 });
  detail(`root directory ${podRoot} stands in for the pod's filesystem (${SECRETS_DIR} → ${join(podRoot, SECRETS_DIR)})`);
  const init = startProcess('vault-agent-init', [cli, 'agent', '--root-dir', podRoot], join(work, 'agent-init.log'), containerEnv(admission.patchedPod, 'vault-agent-init'));
  const [code] = (await once(init, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`vault-agent-init exited with ${code}; see its log above`);
  detail('vault-agent-init logged in, rendered every file and exited 0');

  heading('The rendered files (values masked)');
  await printFiles(join(podRoot, SECRETS_DIR));

  heading(`Run the sidecar (vault-agent), then rotate ${KV_PATH}`);
  const sidecar = startProcess('vault-agent', [cli, 'agent', '--root-dir', podRoot], join(work, 'agent-sidecar.log'), containerEnv(admission.patchedPod, 'vault-agent'));
  const configFile = join(podRoot, SECRETS_DIR, 'config');
  const before = await readFile(configFile, 'utf8');
  await sleep(1_000);
  const version = await vault.writeConfig({ api_key: 'ak-rotated-51e0aa', endpoint: 'https://payments.example.com', username: 'orders-svc', password: 'rotated-password-2' });
  detail(`wrote version ${version} of ${KV_PATH}; the sidecar re-reads static secrets every ${rotationInterval}`);
  const changedMs = Date.now();
  await waitUntil(async () => (await readFile(configFile, 'utf8')) !== before, 60_000, 'the sidecar to re-render the rotated secret');
  detail(`re-rendered after ${((Date.now() - changedMs) / 1000).toFixed(1)} s:`);
  detail(maskRendered((await readFile(configFile, 'utf8')).trimEnd()));

  heading('Shut down');
  await stopProcess(sidecar, 'vault-agent');
  await stopProcess(webhook, 'webhook');
}

function startProcess(label: string, argv: string[], logFile: string, env: Record<string, string>): ChildProcess {
  const log = createWriteStream(logFile);
  const child = spawn(argv[0]!, argv.slice(1), {
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: dirname(logFile), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  cleanup.push(label, () => stopProcess(child, label));
  child.on('exit', (code, signal) => {
    if (code !== 0 && signal === null && !stopping.has(child)) void showLogTail(label, logFile);
  });
  return child;
}


async function stopProcess(child: ChildProcess, label: string): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  stopping.add(child);
  const exited = once(child, 'exit') as Promise<[number | null, string | null]>;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  const [code, signal] = await exited;
  clearTimeout(timer);
  detail(`${label} stopped (${signal ?? `exit ${code}`})`);
}

async function showLogTail(label: string, logFile: string): Promise<void> {
  const text = await readFile(logFile, 'utf8').catch(() => '');
  detail(`${label} failed; last log lines:\n${text.trimEnd().split('\n').slice(-10).join('\n')}`);
}

async function printFiles(dir: string): Promise<void> {
  for (const name of (await readdir(dir)).sort()) {
    if (name.startsWith('.')) continue;
    detail(`── ${join(SECRETS_DIR, name)}`);
    detail(maskRendered((await readFile(join(dir, name), 'utf8')).trimEnd()));
  }
}

function httpsStatus(url: string, ca: string): Promise<number> {
  return new Promise((done) => {
    request(url, { ca }, (res) => {
      res.resume();
      done(res.statusCode ?? 0);
    })
      .on('error', () => done(0))
      .end();
  });
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await sleep(100);
  }
  throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}
