// Shared Vitest settings: tests run against the libraries' TypeScript sources (no build needed),
// so `@blog/*` imports are aliased to each library's src/index.ts (and @blog/framework/core to src/core.ts).
import { fileURLToPath } from 'node:url';
import { defineConfig, type ViteUserConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

export const workspaceAliases = {
  // Subpaths first: an alias also matches `<key>/...`, and the first match wins.
  '@blog/framework/core': `${root}libs/framework/src/core.ts`,
  '@blog/framework/instrument': `${root}libs/framework/src/instrument.ts`,
  '@blog/framework': `${root}libs/framework/src/index.ts`,
  '@blog/proto': `${root}libs/proto/src/index.ts`,
  '@blog/catalog': `${root}libs/catalog/src/index.ts`,
  '@blog/kafka-connect': `${root}libs/kafka-connect/src/index.ts`,
  '@blog/testing/contracts': `${root}libs/testing/src/contracts/index.ts`,
  '@blog/testing': `${root}libs/testing/src/index.ts`,
  '@blog/ops': `${root}libs/ops/src/index.ts`,
  '@blog/dev-certs': `${root}libs/dev-certs/src/index.ts`,
  '@blog/tools/bootstrap': `${root}tools/bootstrap.ts`,
  '@blog/tools': `${root}tools/index.ts`,
};

/** Vitest config for a project: unit tests are `*.spec.ts` next to the code. */
export function projectConfig(overrides: ViteUserConfig['test'] = {}): ViteUserConfig {
  return defineConfig({
    resolve: { alias: workspaceAliases },
    test: {
      include: ['src/**/*.spec.ts'],
      exclude: ['src/**/*.int.spec.ts'],
      environment: 'node',
      testTimeout: 20_000,
      hookTimeout: 60_000,
      ...overrides,
    },
  });
}
