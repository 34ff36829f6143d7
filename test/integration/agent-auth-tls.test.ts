// The agent's Vault connection over TLS against a real OpenBao listener: CA settings, SNI, skipped
// verification, an HTTP CONNECT proxy, and cert auth with a client certificate that is re-read
// (`reload`) at the next login.
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgentAuth } from '../../agent/auth/create-agent-auth.js';
import type { AuthManager } from '../../agent/auth/auth-manager.js';
import { createLogger } from '../../agent/observe/logger.js';
import { createHttpVaultClient } from '../../agent/vault/http-vault-client.js';
import type { VaultClient } from '../../agent/vault/vault-api.js';
import { authSchema, tokenSinkListSchema, vaultConnectionSchema } from '../../contract/agent-config/index.js';
import type { z } from 'zod';
import { uniqueName, writePolicy } from '../support/openbao-secrets.js';
import { enableAuthMethod } from '../support/openbao-auth.js';
import { generateCa } from '../support/tls.js';
import { issueClientCertificate, startAuthTestServer, type AuthTestServer } from './agent-auth-server.js';

let server: AuthTestServer;
let work: string;
const logText: string[] = [];
const logger = createLogger({
  level: 'debug',
  destination: new Writable({ write: (chunk: Buffer, _encoding, callback) => (logText.push(chunk.toString()), callback()) }),
});
const clients: VaultClient[] = [];
const managers: AuthManager[] = [];

beforeAll(async () => {
  server = await startAuthTestServer();
  work = join(server.dir, 'agent');
  await mkdir(work);
});

afterAll(async () => {
  for (const manager of managers) await manager.stop();
  for (const client of clients) await client.close();
  await server?.stop();
});

function tlsClient(connection: Partial<z.input<typeof vaultConnectionSchema>>): VaultClient {
  const client = createHttpVaultClient(vaultConnectionSchema.parse({ address: server.tlsAddr, requestTimeoutMs: 5_000, maxRetries: 0, ...connection }), { logger });
  clients.push(client);
  return client;
}

async function lookupSelf(client: VaultClient, token = server.rootToken) {
  return client.request({ method: 'GET', path: 'auth/token/lookup-self', token });
}

async function failureCode(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(() => 'succeeded', (error: unknown) => (error as { code?: unknown }).code);
}

describe('agent Vault connection over TLS', () => {
  it('verifies Vault with the CA from inline PEM, a CA file or a CA directory', async () => {
    expect((await lookupSelf(tlsClient({ caCertPem: server.caPem })))?.data?.id).toBe(server.rootToken);
    expect((await lookupSelf(tlsClient({ caCertPath: server.caFile })))?.data?.id).toBe(server.rootToken);
    const caDir = join(work, 'ca-dir');
    await mkdir(join(caDir, '..2025_01_01'), { recursive: true });
    await writeFile(join(caDir, 'README'), 'not a certificate');
    await writeFile(join(caDir, 'other-ca.pem'), (await generateCa({ commonName: 'unrelated' })).certPem);
    await writeFile(join(caDir, 'vault-ca.pem'), server.caPem);
    expect((await lookupSelf(tlsClient({ caPath: caDir })))?.data?.id).toBe(server.rootToken);
  });

  it('refuses a server its CA did not sign, and a name the certificate does not carry', async () => {
    expect(await failureCode(lookupSelf(tlsClient({})))).toBe('VAULT_TLS');
    expect(await failureCode(lookupSelf(tlsClient({ caCertPem: (await generateCa()).certPem })))).toBe('VAULT_TLS');
    expect(await failureCode(lookupSelf(tlsClient({ caCertPem: server.caPem, tlsServerName: 'vault.elsewhere.example' })))).toBe('VAULT_TLS');
    expect((await lookupSelf(tlsClient({ caCertPem: server.caPem, tlsServerName: 'localhost' })))?.data?.id).toBe(server.rootToken);
    expect(await failureCode(lookupSelf(tlsClient({ caCertPath: join(work, 'missing-ca.pem') })))).toBe('VAULT_TLS');
  });

  it('connects without verification when told to, and warns about it', async () => {
    expect((await lookupSelf(tlsClient({ tlsSkipVerify: true })))?.data?.id).toBe(server.rootToken);
    expect(logText.join('')).toContain('TLS certificate verification of Vault is turned off');
  });

  describe('through an HTTP proxy', () => {
    let proxy: Server;
    const tunnels: string[] = [];
    beforeAll(async () => {
      proxy = createServer((_request, response) => response.writeHead(405).end());
      proxy.on('connect', (request, clientSocket, head) => {
        tunnels.push(String(request.url));
        const [host, port] = String(request.url).split(':');
        const upstream = connect(Number(port), host, () => {
          clientSocket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
          upstream.write(head);
          upstream.pipe(clientSocket);
          clientSocket.pipe(upstream);
        });
        upstream.on('error', () => clientSocket.destroy());
        clientSocket.on('error', () => upstream.destroy());
      });
      await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    });
    afterAll(async () => {
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    });

    it('tunnels to Vault with CONNECT and still verifies Vault', async () => {
      const proxyAddress = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
      expect((await lookupSelf(tlsClient({ caCertPem: server.caPem, proxyAddress })))?.data?.id).toBe(server.rootToken);
      expect(tunnels).toEqual([new URL(server.tlsAddr).host]);
      expect(await failureCode(lookupSelf(tlsClient({ proxyAddress })))).toBe('VAULT_TLS');
    });
  });
});

describe('cert auth against OpenBao', () => {
  it('logs in with the client certificate, and with a rotated one at the next login (reload)', async () => {
    const mount = uniqueName('cert');
    await enableAuthMethod(server, mount, 'cert');
    const clientCa = await generateCa({ commonName: 'agent client CA' });
    const policy = uniqueName('cert-policy');
    await writePolicy(server, policy, 'path "sys/health" {\n  capabilities = ["read"]\n}\n');
    await server.client().write(`auth/${mount}/certs/web`, { certificate: clientCa.certPem, token_policies: [policy], token_ttl: '1h' });
    const clientCertPath = join(work, 'tls.crt');
    const clientKeyPath = join(work, 'tls.key');
    const writeClientCert = async (commonName: string) => {
      const cert = await issueClientCertificate(clientCa, commonName);
      await writeFile(clientCertPath, cert.certPem);
      await writeFile(clientKeyPath, cert.keyPem, { mode: 0o600 });
    };
    await writeClientCert('first-client');

    const vault = vaultConnectionSchema.parse({ address: server.tlsAddr, caCertPath: server.caFile, requestTimeoutMs: 5_000 });
    const client = createHttpVaultClient(vault, { logger });
    clients.push(client);
    const auth = authSchema.parse({ method: 'cert', name: 'web', mountPath: `auth/${mount}`, clientCertPath, clientKeyPath, reload: true });
    const manager = createAgentAuth({ vault, auth, sinks: tokenSinkListSchema.parse([]) }, { client, logger });
    managers.push(manager);

    const first = await manager.token();
    const firstLookup = await lookupSelf(client, first);
    expect(firstLookup?.data?.policies).toContain(policy);
    expect((firstLookup?.data?.meta as Record<string, string>).common_name).toBe('first-client');

    await writeClientCert('second-client');
    await server.client().write('auth/token/revoke', { token: first });
    manager.reportInvalid(first);
    const second = await manager.token();
    expect(second).not.toBe(first);
    expect(((await lookupSelf(client, second))?.data?.meta as Record<string, string>).common_name).toBe('second-client');
    const text = logText.join('');
    for (const token of [first, second]) expect(text).not.toContain(token);
  });

  it('fails to log in without a client certificate', async () => {
    const mount = uniqueName('cert');
    await enableAuthMethod(server, mount, 'cert');
    const vault = vaultConnectionSchema.parse({ address: server.tlsAddr, caCertPath: server.caFile, requestTimeoutMs: 5_000 });
    const client = tlsClient({ caCertPath: server.caFile });
    const auth = authSchema.parse({ method: 'cert', mountPath: `auth/${mount}`, exitOnError: true });
    const manager = createAgentAuth({ vault, auth, sinks: tokenSinkListSchema.parse([]) }, { client, logger });
    managers.push(manager);
    await expect(manager.firstLogin()).rejects.toMatchObject({ code: 'VAULT_HTTP' });
  });
});
