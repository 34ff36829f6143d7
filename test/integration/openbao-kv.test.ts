import { describe, expect, it } from 'vitest';
import { enableKvV1, enableKvV2, uniqueName } from '../support/openbao-secrets.js';
import { sharedOpenBao } from '../support/shared-test-bed.js';

interface KvV2Read {
  data: { data: Record<string, string>; metadata: { version: number; destroyed: boolean } };
}

describe('OpenBao KV engines through node-vault', () => {
  const bao = sharedOpenBao();

  it('writes a KV v2 secret twice and reads back the latest data with version 2', async () => {
    const mount = uniqueName('kv2');
    await enableKvV2(bao, mount);
    const client = bao.client();

    await client.write(`${mount}/data/app/config`, { data: { username: 'app', password: 'first-canary' } });
    await client.write(`${mount}/data/app/config`, { data: { username: 'app', password: 'second-canary' } });
    const read = (await client.read(`${mount}/data/app/config`)) as KvV2Read;

    expect(read.data.data).toEqual({ username: 'app', password: 'second-canary' });
    expect(read.data.metadata.version).toBe(2);
    expect(read.data.metadata.destroyed).toBe(false);
  });

  it('reads an older KV v2 version when asked for it', async () => {
    const mount = uniqueName('kv2');
    await enableKvV2(bao, mount);
    const client = bao.client();

    await client.write(`${mount}/data/db`, { data: { password: 'v1-canary' } });
    await client.write(`${mount}/data/db`, { data: { password: 'v2-canary' } });
    const first = (await client.read(`${mount}/data/db?version=1`)) as KvV2Read;

    expect(first.data.data).toEqual({ password: 'v1-canary' });
    expect(first.data.metadata.version).toBe(1);
  });

  it('writes a KV v1 secret and reads it back unwrapped', async () => {
    const mount = uniqueName('kv1');
    await enableKvV1(bao, mount);
    const client = bao.client();

    await client.write(`${mount}/app/config`, { api_key: 'kv1-canary' });
    const read = (await client.read(`${mount}/app/config`)) as { data: Record<string, string> };

    expect(read.data).toEqual({ api_key: 'kv1-canary' });
  });

  it('finds KV v2 pre-mounted at secret/ in dev mode', async () => {
    const mounts = (await bao.client().read('sys/mounts')) as { data: Record<string, { type: string; options: { version?: string } | null }> };

    expect(mounts.data['secret/']).toMatchObject({ type: 'kv', options: { version: '2' } });
  });
});
