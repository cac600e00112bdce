// Vitest project presets for workspace projects that have integration tests against the local stack:
//   import { integrationProject, unitProject } from '../../tools/stack/vitest-projects.mts';
//   export default defineConfig({ test: { projects: [unitProject(), integrationProject()] } });
// `vitest run` runs both; `vitest run --project unit` needs no infrastructure.
import { fileURLToPath } from 'node:url';
import type { TestProjectInlineConfiguration } from 'vitest/config';
import { projectConfig, workspaceAliases } from '../../vitest.shared.mts';

/** aliases resolve every workspace library to its TypeScript source (no build needed for tests). */
const aliases = workspaceAliases;

type TestOptions = NonNullable<TestProjectInlineConfiguration['test']>;

/** unitProject runs `*.spec.ts` (never `*.int.spec.ts`) without infrastructure. */
export function unitProject(overrides: TestOptions = {}): TestProjectInlineConfiguration {
  const base = projectConfig();
  return { resolve: { alias: aliases }, test: { ...base.test, name: 'unit', ...overrides } };
}

/** integrationProject runs `*.int.spec.ts` against the local stack, which its global setup brings up. */
export function integrationProject(overrides: TestOptions = {}): TestProjectInlineConfiguration {
  const base = projectConfig();
  return {
    resolve: { alias: aliases },
    test: {
      ...base.test,
      name: 'integration',
      include: ['src/**/*.int.spec.ts'],
      exclude: [],
      globalSetup: [fileURLToPath(new URL('./vitest-global-setup.ts', import.meta.url))],
      testTimeout: 60_000,
      hookTimeout: 120_000,
      ...overrides,
    },
  };
}
