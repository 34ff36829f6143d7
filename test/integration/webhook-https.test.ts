// The webhook over real HTTPS on loopback: AdmissionReviews in and out, the served certificate,
// and certificate rotation (rename and Kubernetes `..data` symlink swap) while requests run.
import { request as httpsRequest, Agent } from 'node:https';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Admit } from '../../webhook/admission-types.js';
import { startWebhook, type RunningWebhook, type WebhookServerConfig } from '../../webhook/server/start-webhook.js';
import { createWebhookMetrics } from '../../webhook/server/webhook-metrics.js';
import { makeTempDir, removeTempDir } from '../support/temp-dir.js';
import { generateCa, issueServingCertificate, writeFilesAtomically, writeSecretVolume, type CertificateAuthority, type ServingCertificate } from '../support/tls.js';
import { waitFor } from '../support/wait-for.js';

const PATCH = [{ op: 'add' as const, path: '/metadata/labels', value: { injected: 'yes' } }];
const admit: Admit = (request) =>
  request.namespace === 'deny'
    ? { kind: 'deny', reason: 'invalid-annotations', message: 'vault.hashicorp.com/role: required', warnings: [] }
    : { kind: 'inject', patch: PATCH, injectionType: 'init_and_sidecar', warnings: [] };

interface Answer {
  status: number;
  body: { response?: { uid?: string; allowed?: boolean; patch?: string } } & Record<string, unknown>;
  serialNumber: string;
}

/** POSTs a review and reports the status, the JSON body and the serial of the certificate served. */
function post(url: string, ca: string, uid: string, options: { agent?: Agent; namespace?: string; minVersion?: 'TLSv1.2'; maxVersion?: 'TLSv1.2' } = {}): Promise<Answer> {
  const body = JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: { uid, namespace: options.namespace ?? 'apps', object: { metadata: { name: 'p' } } } });
  return new Promise((resolveAnswer, reject) => {
    const req = httpsRequest(`${url}/mutate?timeout=10s`, {
      method: 'POST',
      ca,
      agent: options.agent ?? false,
      ...(options.maxVersion ? { maxVersion: options.maxVersion } : {}),
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      timeout: 10_000,
    });
    req.on('response', (res) => {
      const serialNumber = (res.socket as TLSSocket).getPeerCertificate().serialNumber;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolveAnswer({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')), serialNumber }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

function get(url: string, ca: string): Promise<number> {
  return new Promise((resolveStatus, reject) => {
    httpsRequest(url, { ca, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolveStatus(res.statusCode ?? 0));
    })
      .on('error', reject)
      .end();
  });
}

let ca: CertificateAuthority;
let dir: string;
let webhook: RunningWebhook | undefined;
const logLines: string[] = [];

beforeAll(async () => {
  ca = await generateCa();
  dir = await makeTempDir('webhook-https');
});
afterAll(() => removeTempDir(dir));
afterEach(async () => {
  await webhook?.close(2_000);
  webhook = undefined;
  logLines.length = 0;
});

async function start(certFile: string, keyFile: string, extra: Partial<WebhookServerConfig> = {}, tlsPollIntervalMs = 250): Promise<RunningWebhook> {
  const config: WebhookServerConfig = { host: '127.0.0.1', port: 0, tlsCertFile: certFile, tlsKeyFile: keyFile, tlsMinVersion: 'TLSv1.2', tlsCipherSuites: undefined, telemetryPath: '/metrics', ...extra };
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logLines.push(line) });
  webhook = await startWebhook({ config, admit, logger, metrics: createWebhookMetrics({ processMetrics: false }), tlsPollIntervalMs });
  return webhook;
}

async function writePair(subdir: string, serving: ServingCertificate): Promise<{ certFile: string; keyFile: string }> {
  const files = { certFile: join(dir, subdir, 'tls.crt'), keyFile: join(dir, subdir, 'tls.key') };
  await import('node:fs/promises').then((fs) => fs.mkdir(join(dir, subdir), { recursive: true }));
  await writeFilesAtomically({ [files.certFile]: serving.certPem, [files.keyFile]: serving.keyPem });
  return files;
}

/**
 * Runs `workers` request loops until `stop` resolves; half reuse keep-alive connections (as the
 * API server does), half open a new TLS connection per request so handshakes overlap the swap.
 */
async function loadDuring(url: string, stop: Promise<void>, workers = 8): Promise<{ ok: number; failures: string[] }> {
  let done = false;
  void stop.then(() => (done = true));
  const failures: string[] = [];
  let ok = 0;
  await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      const agent = worker % 2 === 0 ? new Agent({ keepAlive: true, ca: ca.certPem }) : undefined;
      for (let i = 0; !done; i++) {
        const uid = `w${worker}-${i}`;
        try {
          const answer = await post(url, ca.certPem, uid, agent ? { agent } : {});
          if (answer.status === 200 && answer.body.response?.uid === uid && answer.body.response.allowed === true) ok++;
          else failures.push(`${uid}: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
        } catch (error) {
          failures.push(`${uid}: ${(error as Error).message}`);
        }
      }
      agent?.destroy();
    }),
  );
  return { ok, failures };
}

describe('the webhook over HTTPS', () => {
  it('answers AdmissionReviews, health and metrics on one TLS listener with the configured certificate', async () => {
    const serving = await issueServingCertificate(ca);
    const running = await start(...Object.values(await writePair('basic', serving)) as [string, string]);
    const answer = await post(running.url, ca.certPem, 'uid-1');
    expect(answer).toMatchObject({ status: 200, serialNumber: serving.serialNumber, body: { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid: 'uid-1', allowed: true, patchType: 'JSONPatch' } } });
    expect(JSON.parse(Buffer.from(answer.body.response!.patch!, 'base64').toString())).toEqual(PATCH);
    const denied = await post(running.url, ca.certPem, 'uid-2', { namespace: 'deny' });
    expect(denied.body.response).toMatchObject({ uid: 'uid-2', allowed: false, status: { code: 400, message: 'vault.hashicorp.com/role: required' } });
    expect(await get(`${running.url}/health/ready`, ca.certPem)).toBe(204);
    expect(await get(`${running.url}/health/live`, ca.certPem)).toBe(204);
    expect(await get(`${running.url}/metrics`, ca.certPem)).toBe(200);
  });

  it('refuses clients below the configured minimum TLS version', async () => {
    const files = await writePair('tls13', await issueServingCertificate(ca));
    const running = await start(files.certFile, files.keyFile, { tlsMinVersion: 'TLSv1.3' });
    await expect(post(running.url, ca.certPem, 'old-client', { maxVersion: 'TLSv1.2' })).rejects.toThrow(/version|protocol|alert/i);
    expect((await post(running.url, ca.certPem, 'new-client')).status).toBe(200);
  });

  it('does not start with a key that does not match the certificate', async () => {
    const [a, b] = [await issueServingCertificate(ca), await issueServingCertificate(ca)];
    const files = await writePair('mismatch', { ...a, keyPem: b.keyPem });
    await expect(start(files.certFile, files.keyFile)).rejects.toMatchObject({ code: 'TLS_KEY_MISMATCH' });
  });
});

describe('certificate rotation while requests are in flight', () => {
  it('swaps files renamed into place with zero failed requests, and new connections get the new certificate', async () => {
    const first = await issueServingCertificate(ca);
    const files = await writePair('rename', first);
    const running = await start(files.certFile, files.keyFile);
    const rotations: ServingCertificate[] = [];
    const rotate = (async () => {
      for (let i = 0; i < 4; i++) {
        await new Promise((r) => setTimeout(r, 300));
        const next = await issueServingCertificate(ca);
        rotations.push(next);
        // Two renames: for a moment the cert is new and the key old, a pair that must be refused.
        await writeFilesAtomically({ [files.certFile]: next.certPem, [files.keyFile]: next.keyPem });
        await waitFor(async () => (running.tlsPair().serialNumber === next.serialNumber ? true : undefined), { what: 'the new certificate', timeoutMs: 5_000, intervalMs: 20 });
      }
      await new Promise((r) => setTimeout(r, 200));
    })();
    const result = await loadDuring(running.url, rotate);
    await rotate;
    expect(result.failures).toEqual([]);
    expect(result.ok).toBeGreaterThan(50);
    expect((await post(running.url, ca.certPem, 'after')).serialNumber).toBe(rotations.at(-1)!.serialNumber);
  });

  it("follows a Kubernetes Secret volume's ..data symlink swap, again and again", async () => {
    const volume = join(dir, 'secret-volume');
    const first = await issueServingCertificate(ca);
    await writeSecretVolume(volume, { 'tls.crt': first.certPem, 'tls.key': first.keyPem });
    const running = await start(join(volume, 'tls.crt'), join(volume, 'tls.key'));
    expect((await post(running.url, ca.certPem, 'before')).serialNumber).toBe(first.serialNumber);
    let latest = first;
    const rotate = (async () => {
      for (let i = 0; i < 4; i++) {
        await new Promise((r) => setTimeout(r, 300));
        latest = await issueServingCertificate(ca);
        await writeSecretVolume(volume, { 'tls.crt': latest.certPem, 'tls.key': latest.keyPem });
        const expected = latest.serialNumber;
        await waitFor(async () => ((await post(running.url, ca.certPem, 'probe')).serialNumber === expected ? true : undefined), { what: 'the swapped certificate', timeoutMs: 5_000, intervalMs: 20 });
      }
    })();
    const result = await loadDuring(running.url, rotate);
    await rotate;
    expect(result.failures).toEqual([]);
    expect(result.ok).toBeGreaterThan(50);
    expect((await post(running.url, ca.certPem, 'after')).serialNumber).toBe(latest.serialNumber);
  });

  it('notices a ..data swap through the directory watch alone, without waiting for the poll', async () => {
    const volume = join(dir, 'watch-only');
    const first = await issueServingCertificate(ca);
    await writeSecretVolume(volume, { 'tls.crt': first.certPem, 'tls.key': first.keyPem });
    const running = await start(join(volume, 'tls.crt'), join(volume, 'tls.key'), {}, 600_000);
    for (let i = 0; i < 3; i++) {
      const next = await issueServingCertificate(ca);
      await writeSecretVolume(volume, { 'tls.crt': next.certPem, 'tls.key': next.keyPem });
      await waitFor(async () => (running.tlsPair().serialNumber === next.serialNumber ? true : undefined), { what: `swap ${i + 1} seen by the watch`, timeoutMs: 3_000, intervalMs: 20 });
    }
  });

  it('keeps serving the current certificate when the new files are not a pair, and logs why', async () => {
    const first = await issueServingCertificate(ca);
    const files = await writePair('bad-pair', first);
    const running = await start(files.certFile, files.keyFile);
    const [a, b] = [await issueServingCertificate(ca), await issueServingCertificate(ca)];
    await writeFilesAtomically({ [files.certFile]: a.certPem, [files.keyFile]: b.keyPem });
    await running.checkTlsFiles();
    expect((await post(running.url, ca.certPem, 'still-old')).serialNumber).toBe(first.serialNumber);
    expect(logLines.join('')).toContain('TLS_KEY_MISMATCH');
    await writeFilesAtomically({ [files.keyFile]: a.keyPem });
    await running.checkTlsFiles();
    expect((await post(running.url, ca.certPem, 'now-new')).serialNumber).toBe(a.serialNumber);
    for (const pem of [a.keyPem, b.keyPem, first.keyPem]) expect(logLines.join('')).not.toContain(pem.split('\n')[1]);
  });
});
