// Shared by the latency benchmarks: run several scenarios interleaved (one call of each per round, in a rotating
// order) so that they share whatever load the machine has, then print percentiles and ratios to the baseline.
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';

/** Scenario is one kind of call; `call` performs one and throws when its outcome is not the expected one. */
export interface Scenario {
  readonly name: string;
  readonly call: () => Promise<void>;
}

/** RunOptions bound a run in count and in time. */
export interface RunOptions {
  /** rounds measured (one call of every scenario each). */
  readonly rounds: number;
  /** warmup rounds run first and not recorded. */
  readonly warmup: number;
  /** budgetMs stops the measured rounds early, so a run on a very slow machine still ends. */
  readonly budgetMs: number;
}

/** Samples are the measured durations of each scenario, in milliseconds, in run order. */
export type Samples = Map<string, number[]>;

/** runInterleaved runs the scenarios round by round and returns their durations. */
export async function runInterleaved(scenarios: readonly Scenario[], options: RunOptions): Promise<Samples> {
  const samples: Samples = new Map(scenarios.map((s) => [s.name, []]));
  const until = performance.now() + options.budgetMs;
  for (let round = 0; round < options.warmup + options.rounds; round++) {
    if (round >= options.warmup && performance.now() > until) break;
    for (let i = 0; i < scenarios.length; i++) {
      // Rotating the order spreads any position effect (a GC after the previous call, a warm cache) evenly.
      const scenario = scenarios[(round + i) % scenarios.length];
      const started = performance.now();
      await scenario.call();
      const elapsed = performance.now() - started;
      if (round >= options.warmup) samples.get(scenario.name)?.push(elapsed);
    }
  }
  return samples;
}

/** percentile of sorted values (nearest rank). */
export function percentile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** machine describes where a run happened: CPU count and load averages, to read the ratios against. */
export function machine(): string {
  const [one, five] = loadavg();
  return `${cpus().length} CPUs, load average ${one.toFixed(2)} (1 min) ${five.toFixed(2)} (5 min), Node ${process.version}`;
}

/** printTable prints n, p50, p95 of each scenario and their ratio to the first (the baseline). */
export function printTable(title: string, samples: Samples): void {
  const rows = [...samples].map(([name, values]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return { name, n: sorted.length, p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95) };
  });
  const [baseline] = rows;
  const ms = (x: number) => (x < 1 ? `${(x * 1000).toFixed(0)} µs` : `${x.toFixed(2)} ms`);
  const ratio = (x: number, base: number) => `${(x / base).toFixed(2)}x`;
  const table = [
    ['scenario', 'n', 'p50', 'p95', 'p50 / baseline', 'p95 / baseline'],
    ...rows.map((r) => [
      r.name,
      String(r.n),
      ms(r.p50),
      ms(r.p95),
      ratio(r.p50, baseline.p50),
      ratio(r.p95, baseline.p95),
    ]),
  ];
  const widths = table[0].map((_, column) => Math.max(...table.map((row) => row[column].length)));
  const line = (row: string[]) =>
    row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  console.log(title);
  console.log(`  ${machine()}`);
  console.log(`  ${line(table[0])}`);
  console.log(`  ${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const row of table.slice(1)) console.log(`  ${line(row)}`);
}

/** argument reads the positional argument `index` as a positive integer, or the default. */
export function argument(index: number, fallback: number): number {
  const value = Number(process.argv[2 + index] ?? fallback);
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`argument ${index + 1} must be a positive integer`);
  return value;
}
