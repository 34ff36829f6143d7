import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WEBHOOK_ENV, WEBHOOK_NODE_FLAGS } from '../../../webhook/runtime-flags.js';

const dockerfile = readFileSync(resolve(import.meta.dirname, '../../../Dockerfile.webhook'), 'utf8');

describe('the webhook image start-up flags', () => {
  it('are the ones Dockerfile.webhook starts node with, before the bundle', () => {
    const entrypoint = /^ENTRYPOINT (\[.*\])$/m.exec(dockerfile)?.[1];
    expect(entrypoint).toBeDefined();
    expect(JSON.parse(entrypoint!)).toEqual(['/nodejs/bin/node', ...WEBHOOK_NODE_FLAGS, '/app/webhook.js']);
  });

  it('set the same environment as Dockerfile.webhook', () => {
    for (const [name, value] of Object.entries(WEBHOOK_ENV)) expect(dockerfile).toMatch(new RegExp(`^ENV ${name}=${value}$`, 'm'));
  });

  it('are accepted by this Node', () => {
    const out = execFileSync(process.execPath, [...WEBHOOK_NODE_FLAGS, '-e', 'process.stdout.write("ok")'], { encoding: 'utf8', env: { ...process.env, ...WEBHOOK_ENV } });
    expect(out).toBe('ok');
  });
});
