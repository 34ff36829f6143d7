import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { startAgentEndpoints } from '../../../../agent/observe/agent-endpoints.js';

const logger = pino({ level: 'silent' }, new Writable({ write: (_c, _e, done) => done() }));

describe('agent endpoints', () => {
  it('serve health and metrics on one port when they share it, each on its path', async () => {
    let ready = false;
    const endpoints = await startAgentEndpoints({
      health: { port: 0, path: '/ready' },
      metrics: { port: 0, path: '/metrics' },
      listener: undefined,
      isReady: () => ready,
      metricsText: () => 'x_total 1\n',
      onQuit: () => undefined,
      logger,
      host: '127.0.0.1',
    });
    try {
      const { health, metrics } = endpoints.ports;
      expect(health).toBe(metrics);
      const base = `http://127.0.0.1:${String(health)}`;
      expect((await fetch(`${base}/ready`)).status).toBe(503);
      ready = true;
      expect((await fetch(`${base}/ready?verbose=1`)).status).toBe(200);
      expect((await fetch(`${base}/livez`, { method: 'HEAD' })).status).toBe(200);
      const scrape = await fetch(`${base}/metrics`);
      expect(scrape.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
      expect(await scrape.text()).toBe('x_total 1\n');
      expect((await fetch(`${base}/agent/v1/quit`, { method: 'POST' })).status).toBe(404);
    } finally {
      await endpoints.close();
    }
  });

  it('answer POST /agent/v1/quit on the loopback listener only with enableQuit, after sending the answer', async () => {
    const quits: string[] = [];
    const endpoints = await startAgentEndpoints({
      health: undefined,
      metrics: undefined,
      listener: { address: '127.0.0.1:0', enableQuit: true },
      isReady: () => true,
      metricsText: () => '',
      onQuit: () => quits.push('quit'),
      logger,
    });
    try {
      const base = `http://127.0.0.1:${String(endpoints.ports.quit)}`;
      expect((await fetch(`${base}/agent/v1/quit`)).status).toBe(405);
      expect(quits).toEqual([]);
      const answer = await fetch(`${base}/agent/v1/quit`, { method: 'POST' });
      expect([answer.status, await answer.text()]).toEqual([200, 'stopping\n']);
      expect(quits).toEqual(['quit']);
    } finally {
      await endpoints.close();
    }
  });
});
