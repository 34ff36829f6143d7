// The webhook as a process (webhook/main.ts and `vault-injector webhook`): configuration errors,
// and a graceful stop on SIGTERM and SIGINT that lets in-flight requests finish.
import { execFile } from 'node:child_process';
import type { ClientRequest } from 'node:http';
import { Agent, request as httpsRequest } from 'node:https';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getFreePort } from '../support/free-port.js';
import { startManagedProcess, type ManagedProcess } from '../support/managed-process.js';
import { makeTempDir, removeTempDir } from '../support/temp-dir.js';
import { generateTestTls, writeFilesAtomically, type CertificateAuthority } from '../support/tls.js';
import { waitFor } from '../support/wait-for.js';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const cli = join(root, 'bin/vault-injector');

/** The environment without any AGENT_INJECT_* setting of the machine running the tests. */
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AGENT_INJECT_')));

let dir: string;
let ca: CertificateAuthority;
let certFile: string;
let keyFile: string;
beforeAll(async () => {
  dir = await makeTempDir('webhook-shutdown');
  const tls = await generateTestTls();
  ca = tls.ca;
  [certFile, keyFile] = [join(dir, 'tls.crt'), join(dir, 'tls.key')];
  await writeFilesAtomically({ [certFile]: tls.serving.certPem, [keyFile]: tls.serving.keyPem });
});
afterAll(() => removeTempDir(dir));

function reviewBody(uid: string): string {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { containers: [{ name: 'app', image: 'nginx' }] } };
  return JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: { uid, namespace: 'apps', operation: 'CREATE', kind: { group: '', version: 'v1', kind: 'Pod' }, object: pod } });
}

/**
 * A request whose headers and first half of the body are sent; `finish` sends the rest. It goes
 * over a keep-alive connection, as the API server's do, so the server must close a connection
 * that turns idle during the drain rather than wait for the client.
 */
function startPartialPost(url: string, uid: string): { sent: Promise<void>; finish(): Promise<{ status: number; body: string }> } {
  const body = Buffer.from(reviewBody(uid));
  const req: ClientRequest = httpsRequest(`${url}/mutate?timeout=10s`, {
    method: 'POST',
    agent: new Agent({ keepAlive: true, ca: ca.certPem }),
    headers: { 'content-type': 'application/json', 'content-length': body.length },
  });
  const answer = new Promise<{ status: number; body: string }>((resolveAnswer, reject) => {
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolveAnswer({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
  });
  answer.catch(() => undefined);
  const sent = new Promise<void>((resolveSent) => req.write(body.subarray(0, body.length >> 1), () => resolveSent()));
  return { sent, finish: () => (req.end(body.subarray(body.length >> 1)), answer) };
}

function get(url: string): Promise<number> {
  return new Promise((resolveStatus, reject) => {
    httpsRequest(url, { ca: ca.certPem, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolveStatus(res.statusCode ?? 0));
    })
      .on('error', reject)
      .end();
  });
}

async function startWebhookProcess(entry: 'main' | 'cli', port: number): Promise<ManagedProcess> {
  const flags = [`--listen=127.0.0.1:${port}`, `--tls-cert-file=${certFile}`, `--tls-key-file=${keyFile}`, '--vault-address=https://vault.vault.svc:8200', '--log-level=debug'];
  const args = entry === 'main' ? ['--import', 'tsx', join(root, 'webhook/main.ts'), ...flags] : ['--import', 'tsx', join(root, 'cli/main.ts'), 'webhook', ...flags];
  const proc = startManagedProcess({ command: process.execPath, args, logFile: join(dir, `${entry}-${port}.log`), env: cleanEnv, cwd: root, stopGraceMs: 15_000 });
  await waitFor(async () => ((await get(`https://127.0.0.1:${port}/health/ready`)) === 204 ? true : undefined), {
    what: 'the webhook to be ready',
    timeoutMs: 30_000,
    abortReason: () => proc.exitStatus(),
  });
  return proc;
}

/** Posts a whole review on a new connection. */
async function postNow(url: string, uid: string): Promise<{ status: number; body: string }> {
  const request = startPartialPost(url, uid);
  await request.sent;
  return request.finish();
}

describe.each([
  ['SIGTERM', 'main'],
  ['SIGINT', 'main'],
  ['SIGTERM', 'cli'],
] as const)('on %s (%s entry)', (signal, entry) => {
  it('reports not ready, lets in-flight requests finish, stops listening and exits 0', async () => {
    const port = await getFreePort();
    const proc = await startWebhookProcess(entry, port);
    const url = `https://127.0.0.1:${port}`;
    try {
      const inFlight = Array.from({ length: 5 }, (_, i) => startPartialPost(url, `in-flight-${i}`));
      await Promise.all(inFlight.map((r) => r.sent));
      await new Promise((r) => setTimeout(r, 200)); // the server has read the headers
      const signalled = Date.now();
      process.kill(proc.pid, signal);
      if (signal === 'SIGTERM') {
        // Endpoints are still being updated: not ready, but new connections are still served.
        await waitFor(async () => ((await get(`${url}/health/ready`)) === 503 ? true : undefined), { what: 'not ready', timeoutMs: 1_000, intervalMs: 20 });
        expect((await postNow(url, 'during-delay')).status).toBe(200);
      }
      await waitFor(async () => get(`${url}/health/live`).then(() => undefined, (error: NodeJS.ErrnoException) => (error.code === 'ECONNREFUSED' ? true : undefined)), {
        what: 'the listener to close',
        timeoutMs: 5_000,
        intervalMs: 25,
      });
      // SIGTERM keeps the listener for the drain delay (2 s); SIGINT closes it at once.
      if (signal === 'SIGTERM') expect(Date.now() - signalled).toBeGreaterThanOrEqual(1_900);
      else expect(Date.now() - signalled).toBeLessThan(1_000);
      expect(proc.exitStatus()).toBeUndefined(); // still draining
      const answers = await Promise.all(inFlight.map((r) => r.finish()));
      answers.forEach((answer, i) => {
        expect(answer.status).toBe(200);
        expect(JSON.parse(answer.body).response).toMatchObject({ uid: `in-flight-${i}`, allowed: true });
      });
      const answered = Date.now();
      await proc.exited;
      expect(proc.exitStatus()).toBe('exit code 0');
      expect(Date.now() - answered).toBeLessThan(3_000);
      const log = await proc.logTail([], 100_000);
      expect(log).toContain(`"signal":"${signal}"`);
      expect(log).toContain('webhook stopped');
    } finally {
      await proc.stop();
    }
  });
});

describe('vault-injector webhook as a command', () => {
  it('prints every configuration problem and exits 2', async () => {
    const result = await run(cli, ['webhook', '--listen=nope', '--log-level=loud'], { env: cleanEnv }).catch((error: { code: number; stderr: string }) => error);
    expect(result).toMatchObject({ code: 2 });
    const stderr = (result as { stderr: string }).stderr;
    for (const flag of ['--listen', '--log-level', '--tls-cert-file', '--vault-address']) expect(stderr).toContain(flag);
  });

  it('exits 1 with the reason when the certificate cannot be read', async () => {
    const missing = join(dir, 'missing.crt');
    const result = await run(cli, ['webhook', '--listen=127.0.0.1:1', `--tls-cert-file=${missing}`, `--tls-key-file=${keyFile}`, '--vault-address=https://v:8200'], { env: cleanEnv }).catch((error: { code: number; stderr: string }) => error);
    expect(result).toMatchObject({ code: 1, stderr: expect.stringContaining(`cannot read the TLS certificate file ${missing}: ENOENT`) });
  });

  it('--help lists the flags with their environment variables', async () => {
    const { stdout } = await run(cli, ['webhook', '--help'], { env: cleanEnv });
    expect(stdout).toContain('--tls-cert-file');
    expect(stdout).toContain('env AGENT_INJECT_TLS_CERT_FILE');
    expect(stdout).toContain('env AGENT_INJECT_VAULT_ADDR');
  });
});
