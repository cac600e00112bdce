// A reporter beside vitest's default one: at the end of the run it prints each file's time and outcome and the
// saga latency and fault recovery tables measured in the run, then removes the run's scratch folder.
import { rmSync } from 'node:fs';
import { relative } from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';
import { runDir } from '../run-dir';
import { latencyTable, readLatencies, readRecoveries, recoveryTable } from './latency';

/** E2eReporter prints the per-file timings and the latency percentiles. */
export default class E2eReporter implements Reporter {
  private readonly started = Date.now();
  private readonly runDir = runDir();

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const order = (id: string) => `${id.includes('/faults/') ? 1 : 0}:${id}`;
    const sorted = [...testModules].sort((a, b) => order(a.moduleId).localeCompare(order(b.moduleId)));
    const rows = sorted.map((module) => {
      const tests = [...module.children.allTests()];
      const count = (state: string) => tests.filter((t) => t.result().state === state).length;
      return {
        file: relative(process.cwd(), module.moduleId),
        seconds: module.diagnostic().duration / 1000,
        passed: count('passed'),
        failed: count('failed'),
        skipped: count('skipped'),
      };
    });
    const width = Math.max(4, ...rows.map((r) => r.file.length));
    const out = [
      '',
      'e2e: time per file',
      `${'file'.padEnd(width)}  ${'seconds'.padStart(8)}  passed  failed  skipped`,
      ...rows.map(
        (r) =>
          `${r.file.padEnd(width)}  ${r.seconds.toFixed(1).padStart(8)}  ${String(r.passed).padStart(6)}  ${String(r.failed).padStart(6)}  ${String(r.skipped).padStart(7)}`,
      ),
      `whole run (setup included): ${((Date.now() - this.started) / 1000).toFixed(1)} s`,
      verdict(rows),
      '',
      'e2e: saga latency, from the 202 to the terminal state seen by polling GET every 50 ms',
      latencyTable(readLatencies(this.runDir)),
      '',
      'e2e: recovery from injected faults, until every saga in flight reached its terminal state',
      recoveryTable(readRecoveries(this.runDir)),
      '',
    ];
    process.stdout.write(`${out.join('\n')}\n`);
    rmSync(this.runDir, { recursive: true, force: true });
  }
}

/** verdict is the one-line outcome; a run where nothing ran says SKIPPED, never passed. */
function verdict(rows: { passed: number; failed: number; skipped: number }[]): string {
  const sum = (key: 'passed' | 'failed' | 'skipped') => rows.reduce((total, row) => total + row[key], 0);
  const [passed, failed, skipped] = [sum('passed'), sum('failed'), sum('skipped')];
  if (failed > 0) return `e2e: FAILED: ${failed} failed, ${passed} passed, ${skipped} skipped`;
  if (passed === 0)
    return `e2e: SKIPPED: nothing ran (${skipped} skipped; the reason is printed above): this is not a pass`;
  return `e2e: PASSED: ${passed} passed${skipped ? `, ${skipped} skipped (reasons above)` : ''}`;
}
