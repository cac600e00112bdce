// Closed-loop load at a fixed concurrency, for HTTP (autocannon) and for any promise-returning call (a gRPC client),
// so both sides of a comparison see the same number of requests in flight. Also the table the throughput benchmarks
// print: requests per second and p50 per target, ratios to a named baseline, the machine's load.
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { Pool } from 'undici';

/** Measure is one target's figures over one run. */
export interface Measure {
  readonly requests: number;
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
  /** cpuUsPerRequest: CPU time the target's server processes spent per request, in microseconds (when known). */
  readonly cpuUsPerRequest?: number;
}

/** LoadOptions are the concurrency and the duration of one run. */
export interface LoadOptions {
  readonly connections: number;
  readonly seconds: number;
}

/** httpLoad runs autocannon against one URL; every answer must have `status` or it counts as an error. */
export async function httpLoad(
  url: string,
  options: LoadOptions & { readonly status?: number; readonly headers?: Record<string, string> },
): Promise<Measure> {
  const result = await autocannon({
    url,
    connections: options.connections,
    duration: options.seconds,
    headers: options.headers,
    expectBody: undefined,
  });
  const status = options.status ?? 200;
  const wrong = result.statusCodeStats
    ? Object.entries(result.statusCodeStats)
        .filter(([code]) => Number(code) !== status)
        .reduce((sum, [, stats]) => sum + (stats as { count: number }).count, 0)
    : result.non2xx;
  return {
    requests: result.requests.total,
    rps: result.requests.total / options.seconds,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts + wrong,
  };
}

/**
 * httpCallLoad is callLoad over HTTP with undici (one pool of `connections` keep-alive connections), for comparisons
 * with another JavaScript client: both timed by performance.now() in this process, where autocannon reports whole
 * milliseconds only.
 */
export async function httpCallLoad(
  origin: string,
  path: string,
  options: LoadOptions & { readonly status?: number; readonly headers?: Record<string, string> },
): Promise<Measure> {
  const pool = new Pool(origin, { connections: options.connections, pipelining: 1 });
  const status = options.status ?? 200;
  try {
    return await callLoad(async () => {
      const response = await pool.request({ method: 'GET', path, headers: options.headers });
      await response.body.dump();
      if (response.statusCode !== status) throw new Error(`status ${response.statusCode}`);
    }, options);
  } finally {
    await pool.close();
  }
}

/** callLoad keeps `connections` calls in flight for `seconds` and times each. */
export async function callLoad(call: () => Promise<unknown>, options: LoadOptions): Promise<Measure> {
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const until = started + options.seconds * 1000;
  const loop = async () => {
    while (performance.now() < until) {
      const before = performance.now();
      try {
        await call();
        latencies.push(performance.now() - before);
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: options.connections }, loop));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return {
    requests: latencies.length,
    rps: latencies.length / elapsed,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    errors,
  };
}

/** Target is one thing measured, run again in each round. */
export interface Target {
  readonly name: string;
  readonly run: () => Promise<Measure>;
  /**
   * cpuMs reads the CPU time (user + system) of the processes that serve the target: CPU per request is what the
   * code costs, far steadier than requests per second on a machine whose other tenants take the cores in turns.
   */
  readonly cpuMs?: () => number;
}

/** runRounds runs every target once per round, rotating the order, so that all of them share the machine's load. */
export async function runRounds(targets: readonly Target[], rounds: number): Promise<Map<string, Measure[]>> {
  const results = new Map<string, Measure[]>(targets.map((t) => [t.name, []]));
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < targets.length; i++) {
      const target = targets[(round + i) % targets.length];
      const cpuBefore = target.cpuMs?.();
      const run = await target.run();
      const cpuAfter = target.cpuMs?.();
      const measure =
        cpuBefore === undefined || cpuAfter === undefined || run.requests === 0
          ? run
          : { ...run, cpuUsPerRequest: ((cpuAfter - cpuBefore) * 1000) / run.requests };
      results.get(target.name)?.push(measure);
      process.stderr.write(
        `  round ${round + 1}: ${target.name}: ${Math.round(measure.rps)} req/s, p50 ${measure.p50Ms.toFixed(2)} ms` +
          `${measure.cpuUsPerRequest === undefined ? '' : `, ${Math.round(measure.cpuUsPerRequest)} µs CPU/request`}` +
          `${measure.errors ? `, ${measure.errors} errors` : ''}\n`,
      );
    }
  }
  return results;
}

/** Summary is a target's figures over all rounds: the median round's throughput and latency. */
export interface Summary {
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
  readonly cpuUsPerRequest: number;
}

/** summarise takes the median of each figure over the rounds (a round disturbed by a neighbour's build counts less). */
export function summarise(measures: readonly Measure[]): Summary {
  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  };
  return {
    rps: median(measures.map((m) => m.rps)),
    p50Ms: median(measures.map((m) => m.p50Ms)),
    p99Ms: median(measures.map((m) => m.p99Ms)),
    errors: measures.reduce((sum, m) => sum + m.errors, 0),
    cpuUsPerRequest: median(measures.map((m) => m.cpuUsPerRequest ?? NaN)),
  };
}

/** machine describes where and when a run happened. */
export function machine(): string {
  const [one, five] = loadavg();
  return `${new Date().toISOString()}, ${cpus().length} CPUs, load average ${one.toFixed(2)} (1 min) ${five.toFixed(2)} (5 min), Node ${process.version}`;
}

/** Goal is one ratio the issue asks for and whether the run met it. */
export interface Goal {
  readonly name: string;
  readonly measured: number;
  readonly goal: number;
  /** atMost: the measure must stay at or under the goal (an added latency); otherwise at or over it. */
  readonly atMost?: boolean;
  readonly unit?: string;
}

/** printGoals prints each goal, its measure and whether it was met. */
export function printGoals(goals: readonly Goal[]): void {
  for (const goal of goals) {
    const met = goal.atMost ? goal.measured <= goal.goal : goal.measured >= goal.goal;
    const unit = goal.unit ?? 'x';
    console.log(
      `  ${met ? 'MET    ' : 'NOT MET'}  ${goal.name}: ${goal.measured.toFixed(2)}${unit} (goal ${goal.atMost ? '<=' : '>='} ${goal.goal}${unit})`,
    );
  }
}

/** printSummaries prints one line per target: median req/s, p50, p99 over the rounds. */
export function printSummaries(results: Map<string, Measure[]>): Map<string, Summary> {
  const summaries = new Map<string, Summary>();
  const width = Math.max(...[...results.keys()].map((name) => name.length));
  for (const [name, measures] of results) {
    const s = summarise(measures);
    summaries.set(name, s);
    console.log(
      `  ${name.padEnd(width)}  ${String(Math.round(s.rps)).padStart(7)} req/s  p50 ${s.p50Ms.toFixed(2).padStart(6)} ms  p99 ${s.p99Ms.toFixed(2).padStart(7)} ms${Number.isNaN(s.cpuUsPerRequest) ? '' : `  ${String(Math.round(s.cpuUsPerRequest)).padStart(5)} µs CPU/request`}${s.errors ? `  ${s.errors} errors` : ''}`,
    );
  }
  return summaries;
}

/** argument reads the n-th positional argument as a number, or the default. */
export function argument(index: number, fallback: number): number {
  const value = Number(process.argv.slice(2).filter((a) => !a.startsWith('--'))[index]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/** summaryOf returns a target's summary, failing loudly when the target was not measured. */
export function summaryOf(summaries: Map<string, Summary>, name: string): Summary {
  const summary = summaries.get(name);
  if (!summary) throw new Error(`${name} was not measured`);
  return summary;
}
