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

/**
 * RecoverySample is one measured recovery from an injected fault: from the fault's start (a SIGKILL) or end (Kafka
 * back) until every saga in flight reached its terminal state.
 */
export interface RecoverySample {
  /** fault names what was done, e.g. `SIGKILL blog, restart after 1 s`. */
  fault: string;
  /** from says what the time is counted from, e.g. `SIGKILL` or `Kafka back`. */
  from: string;
  ms: number;
}

const samplesFile = (runDir: string) => join(runDir, 'latency.jsonl');
const recoveryFile = (runDir: string) => join(runDir, 'recovery.jsonl');

/** recordRecovery appends a recovery sample to the run's file. */
export function recordRecovery(runDir: string, sample: RecoverySample): void {
  mkdirSync(runDir, { recursive: true });
  appendFileSync(recoveryFile(runDir), `${JSON.stringify(sample)}\n`);
}

/** readRecoveries reads the run's recovery samples. */
export function readRecoveries(runDir: string): RecoverySample[] {
  if (!existsSync(recoveryFile(runDir))) return [];
  return readFileSync(recoveryFile(runDir), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as RecoverySample);
}

/** recoveryTable renders one row per measured recovery, in the order measured. */
export function recoveryTable(samples: readonly RecoverySample[]): string {
  if (samples.length === 0) return 'no recovery was measured';
  const header = ['fault', 'counted from', 'recovery s'];
  const rows = samples.map((s) => [s.fault, s.from, (s.ms / 1000).toFixed(1)]);
  return renderTable(header, rows, new Set([0, 1]));
}

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
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? Number.NaN;
}

/** latencyTable renders p50/p95/max per saga, undisturbed runs and runs under faults apart. */
export function latencyTable(samples: readonly LatencySample[]): string {
  const header = ['saga', 'samples', 'p50 ms', 'p95 ms', 'max ms', 'conditions'];
  const rows: string[][] = [];
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
        fmt(percentile(values, 100)),
        undisturbed ? 'no fault' : 'during faults',
      ]);
    }
  }
  if (rows.length === 0) return 'no saga latency was measured';
  return renderTable(header, rows, new Set([0, 5]));
}

/** renderTable aligns text columns left and numbers right, under a header and a rule. */
function renderTable(header: string[], rows: string[][], textColumns: Set<number>): string {
  const widths = header.map((title, col) =>
    Math.max(title.length, ...rows.map((row) => (row[col] ?? '').length)),
  );
  const line = (row: string[]) =>
    widths
      .map((width, col) =>
        textColumns.has(col) ? (row[col] ?? '').padEnd(width) : (row[col] ?? '').padStart(width),
      )
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
