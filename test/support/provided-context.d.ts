// Types of what global-setup.ts provides to the integration tests (`inject('openbao')` etc.).
import type { TestBedTools } from './global-setup.js';
import type { OpenBaoInfo } from './openbao.js';
import type { PostgresInfo } from './postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The run's shared OpenBao dev server. */
    openbao: OpenBaoInfo;
    /** The run's shared PostgreSQL cluster (superuser credentials). */
    postgres: PostgresInfo;
    tools: TestBedTools;
  }
}
