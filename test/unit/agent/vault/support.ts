// Connection settings for client tests: the contract's schema, so defaults match the agent's.
import type { z } from 'zod';
import { vaultConnectionSchema } from '../../../../contract/agent-config/index.js';

export { vaultConnectionSchema };
export type VaultConnectionInput = z.input<typeof vaultConnectionSchema>;
