// The end-to-end suite (`npm run e2e` = `nx run e2e:e2e`): the global setup starts the whole system (see
// src/support/global-setup.ts and README.md); files run one at a time, in name order (src/scenarios before
// src/faults, which disturb the system on purpose); a reporter prints per-file times and saga latencies.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';
import { workspaceAliases } from '../vitest.shared.mts';

// One scratch folder per run, shared by the setup, the test workers (inherited) and the reporter.
process.env['E2E_RUN_DIR'] ||= join(tmpdir(), `blog-e2e-${process.pid}`);

/** runOrder puts src/scenarios before src/faults, then orders by name (the files are numbered). */
const runOrder = (moduleId: string): string => `${moduleId.includes('/faults/') ? 1 : 0}:${moduleId}`;

/** ByName runs the files in runOrder. */
class ByName extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    return [...files].sort((a, b) => runOrder(a.moduleId).localeCompare(runOrder(b.moduleId)));
  }
}

// The gateway's contract tests (one per REST area) also run here, against the real gateway over the real services:
// the global setup points them at it (GATEWAY_CONTRACT_BASE_URL). Their cases that must steer a fake backend skip
// themselves, saying so. Under E2E_ENV=compose nothing can run without Docker, so they are left out there.
const gatewayContract = ['accounts', 'users', 'blogs', 'posts', 'stats', 'subscriptions'].map(
  (area) => `../apps/api-gateway/src/routes/${area}.spec.ts`,
);
const contractIncluded = process.env['E2E_ENV'] !== 'compose';

const resolve = {
  alias: {
    ...workspaceAliases,
    '@blog/kafka-connect': new URL('../libs/kafka-connect/src/index.ts', import.meta.url).pathname,
  },
};

export default defineConfig({
  test: {
    sequence: { sequencer: ByName },
    reporters: ['default', './src/support/report/e2e-reporter.ts'],
    projects: [
      // The suite's own pure logic (ports, percentiles), without infrastructure.
      { resolve, test: { name: 'unit', include: ['src/**/*.spec.ts'], environment: 'node' } },
      {
        resolve,
        test: {
          name: 'e2e',
          include: ['src/**/*.e2e.ts', ...(contractIncluded ? gatewayContract : [])],
          environment: 'node',
          globalSetup: ['src/support/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
