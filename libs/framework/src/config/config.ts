// Typed configuration from the environment: one zod schema per service, validated once at start-up.
import type { z } from 'zod';

/** Env is the shape of process.env. */
export type Env = Record<string, string | undefined>;

/** ConfigError lists every bad or missing variable, one line each ("GRPC_PORT: must be ..."). */
export class ConfigError extends Error {
  /** problems holds one line per bad variable. */
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** loadConfig validates env against schema and returns the typed value, or throws a ConfigError naming each problem. */
export function loadConfig<S extends z.ZodType>(schema: S, env: Env = process.env): z.output<S> {
  // An empty variable (`GRPC_PORT=`) means "not set": it falls back to the default or is reported as missing.
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const result = schema.safeParse(present);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.map(String).join('.') || '(config)';
    const missing = issue.path.length > 0 && present[String(issue.path[0])] === undefined;
    return `${name}: ${missing ? 'is required' : issue.message}`;
  });
  throw new ConfigError([...new Set(problems)]);
}
