import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer, request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const cli = resolve(import.meta.dirname, '../../bin/vault-injector');

describe('vault-injector certs', () => {
  const dir = mkdtemp(join(tmpdir(), 'vault-injector-certs-'));
  afterAll(async () => rm(await dir, { recursive: true, force: true }));

  it('writes a CA and a serving certificate with the requested DNS and IP SANs', async () => {
    const out = await dir;
    await run(cli, ['certs', '--hosts', 'webhook.vault.svc, localhost,127.0.0.1', '--out', out, '--days', '30']);
    const ca = new X509Certificate(await readFile(join(out, 'ca.crt')));
    const leaf = new X509Certificate(await readFile(join(out, 'tls.crt')));
    expect(leaf.subjectAltName).toBe('DNS:webhook.vault.svc, DNS:localhost, IP Address:127.0.0.1');
    expect(leaf.checkIssued(ca)).toBe(true);
    expect(leaf.verify(ca.publicKey)).toBe(true);
    expect(ca.ca).toBe(true);
    expect(leaf.ca).toBe(false);
    expect((await stat(join(out, 'tls.key'))).mode & 0o777).toBe(0o600);
    const days = (Date.parse(leaf.validTo) - Date.parse(leaf.validFrom)) / 86_400_000;
    expect(Math.round(days)).toBe(30);
  });

  it('produces files a Node HTTPS server serves and a client trusting only ca.crt accepts', async () => {
    const out = await dir;
    const server = createServer({ cert: await readFile(join(out, 'tls.crt')), key: await readFile(join(out, 'tls.key')) }, (_, res) => res.end('ok'));
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    try {
      const { port } = server.address() as AddressInfo;
      const ca = await readFile(join(out, 'ca.crt'));
      for (const host of ['127.0.0.1', 'localhost']) {
        const body = await new Promise<string>((done, fail) => {
          request({ host: '127.0.0.1', servername: host === 'localhost' ? host : undefined, port, ca, path: '/' }, (res) => {
            let text = '';
            res.on('data', (chunk: Buffer) => (text += chunk.toString()));
            res.on('end', () => done(text));
          })
            .on('error', fail)
            .end();
        });
        expect(body).toBe('ok');
      }
    } finally {
      server.close();
    }
  });

  it('refuses to run without hosts', async () => {
    await expect(run(cli, ['certs', '--out', await dir])).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('--hosts') });
  });
});
