// Two Vitest projects: `unit` (pure logic and a scripted fake worker on 127.0.0.1:0) and `integration` (the real
// Kafka Connect worker of the local stack, which the stack's global setup brings up when it is not up).
//   npx vitest run                      both
//   npx vitest run --project unit       no infrastructure needed
import { defineConfig } from 'vitest/config';
import { projectConfig } from '../../vitest.shared.mts';

const { resolve, test } = projectConfig();

export default defineConfig({
  test: {
    projects: [
      { resolve, test: { ...test, name: 'unit' } },
      {
        resolve,
        test: {
          ...test,
          name: 'integration',
          include: ['src/**/*.int.spec.ts'],
          exclude: [],
          // A path, not an import: the stack tooling (tools/) depends on this library, not the other way round.
          globalSetup: ['../../tools/stack/vitest-global-setup.ts'],
          testTimeout: 90_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
