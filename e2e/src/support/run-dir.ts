// The run's scratch folder, apart from run-options.ts: the reporter loads it outside the test workers, where the
// workspace libraries (which run-options.ts imports) do not resolve to their sources.
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** runDir is this run's folder for measurements: set once by the config (E2E_RUN_DIR) and inherited. */
export function runDir(env: NodeJS.ProcessEnv = process.env): string {
  return env['E2E_RUN_DIR'] || join(tmpdir(), `blog-e2e-${process.pid}`);
}
