// Integration tests (`*.int.spec.ts`) against the local stack, which the stack's global setup brings up when it is
// not (and takes down afterwards if it started it). One file at a time: they share PostgreSQL, Kafka and Debezium.
//   npx vitest run -c vitest.int.config.mts      (or: npx nx run post:test-int)
import { defineConfig } from 'vitest/config';
import { integrationProject } from '../../tools/stack/vitest-projects.mts';

export default defineConfig({
  test: {
    projects: [integrationProject({ fileParallelism: false, testTimeout: 180_000 })],
  },
});
