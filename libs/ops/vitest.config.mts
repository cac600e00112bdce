// Unit tests of the operations' logic (saga assembly, dead-letter decoding, the topology read from the code, metric
// parsing), no infrastructure. The same operations run against the real system in e2e/src/scenarios/09-ops.e2e.ts.
import { defineConfig } from 'vitest/config';
import { projectConfig } from '../../vitest.shared.mts';

const { resolve, test } = projectConfig();

export default defineConfig({ test: { projects: [{ resolve, test: { ...test, name: 'unit' } }] } });
