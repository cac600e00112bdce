// Saga latencies measured in the run: each sample is the time from the 202 to the terminal state seen through
// REST polling. Test files (in worker processes) append to one file of the run; the reporter prints the table.
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** SagaName names a measured saga. */
export type SagaName = 'sign-up' | 'publish' | 'subscribe';

/** LatencySample is one measured saga. */
export interface LatencySample {
  saga: SagaName;
  ms: number;
  /** outcome is the terminal state (ACTIVE, REJECTED, PUBLISHED ...). */
  outcome: string;
  /** undisturbed is false for sagas run while a fault was injected (they are shown apart). */
  undisturbed: boolean;
}

const samplesFile = (runDir: string) => join(runDir, 'latency.jsonl');

/** recordLatency appends a sample to the run's file. */
export function recordLatency(runDir: string, sample: LatencySample): void {
  mkdirSync(runDir, { recursive: true });
  appendFileSync(samplesFile(runDir), `${JSON.stringify(sample)}\n`);
}

/** readLatencies reads the run's samples. */
export function readLatencies(runDir: string): LatencySample[] {
  if (!existsSync(samplesFile(runDir))) return [];
  return readFileSync(samplesFile(runDir), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as LatencySample);
}

/** percentile is the nearest-rank percentile of sorted values (p in 0..100). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** latencyTable renders p50/p95/max per saga, undisturbed runs and runs under faults apart. */
export function latencyTable(samples: readonly LatencySample[]): string {
  const rows: string[][] = [['saga', 'samples', 'p50 ms', 'p95 ms', 'max ms', 'conditions']];
  for (const undisturbed of [true, false]) {
    for (const saga of ['sign-up', 'publish', 'subscribe'] as const) {
      const values = samples
        .filter((s) => s.saga === saga && s.undisturbed === undisturbed)
        .map((s) => s.ms)
        .sort((a, b) => a - b);
      if (values.length === 0) continue;
      const fmt = (ms: number) => ms.toFixed(0);
      rows.push([
        saga,
        String(values.length),
        fmt(percentile(values, 50)),
        fmt(percentile(values, 95)),
        fmt(values.at(-1)!),
        undisturbed ? 'no fault' : 'during faults',
      ]);
    }
  }
  if (rows.length === 1) return 'no saga latency was measured';
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => row[col]!.length)));
  const line = (row: string[]) => row.map((cell, col) => (col === 0 || col === 5 ? cell.padEnd(widths[col]!) : cell.padStart(widths[col]!))).join('  ');
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}
