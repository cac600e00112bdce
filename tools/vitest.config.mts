// `unit`: the launcher's pure parts and process control; `integration`: the real stack (global setup brings it up).
import { defineConfig } from 'vitest/config';
import { integrationProject, unitProject } from './stack/vitest-projects.mts';

export default defineConfig({
  test: {
    projects: [
      unitProject({ include: ['**/*.spec.ts'], exclude: ['**/*.int.spec.ts', '**/node_modules/**'] }),
      integrationProject({ include: ['**/*.int.spec.ts'], exclude: ['**/node_modules/**'] }),
    ],
  },
});
