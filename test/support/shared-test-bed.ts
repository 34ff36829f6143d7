// The servers global-setup.ts started for the whole run, as seen from inside a test. Tests sharing
// them must use their own mount, role and policy names (uniqueName()).
import { inject } from 'vitest';
import { connectOpenBao, type OpenBaoConnection } from './openbao.js';
import type { PostgresInfo } from './postgres.js';
import type { TestBedTools } from './global-setup.js';

export function sharedOpenBao(): OpenBaoConnection {
  return connectOpenBao(inject('openbao'));
}

export function sharedPostgres(): PostgresInfo {
  return inject('postgres');
}

export function testBedTools(): TestBedTools {
  return inject('tools');
}
