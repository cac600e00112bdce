// Dynamic config: the schema's value, re-validated whenever CONFIG_FILE changes. Only a declared set of variables
// changes at runtime (log level, rate limits, breaker thresholds, deadlines: things a component can re-read); a new
// value outside that set is reported as needing a restart and not applied. A bad new value is refused with one log
// line per variable, and the previous value stays: a typo in a ConfigMap must not take a running service down.
import type { Logger } from 'pino';
import { Counter, Gauge, type Registry as MetricsRegistry } from 'prom-client';
import type { z } from 'zod';
import { ConfigError, type Env, loadConfig } from './config';
import { mergeSources, readConfigFile } from './sources';

/** ReloadOutcome says what a reload did. */
export type ReloadOutcome =
  | { outcome: 'applied'; changed: readonly string[]; version: number }
  | { outcome: 'unchanged' }
  | { outcome: 'refused'; problems: readonly string[] };

/** LiveConfig is a config that follows its file. */
export interface LiveConfig<C> {
  /** current is the config now in force. */
  current(): C;
  /** version counts applied reloads (1 at start); also the `config_version` metric. */
  version(): number;
  /** onChange is told of each applied reload, with the names that changed; returns an unsubscribe function. */
  onChange(listener: (next: C, changed: readonly string[]) => void): () => void;
  /** reload re-reads the sources now (the file watcher calls it on each change). */
  reload(): ReloadOutcome;
  /** close stops watching the file. */
  close(): void;
}

/** LiveConfigOptions say what to read and what may change. */
export interface LiveConfigOptions {
  env?: Env;
  /** file is the live source (CONFIG_FILE); without it the config never changes. */
  file?: string;
  /** reloadable names the variables a reload may change; other changes wait for a restart. */
  reloadable: readonly string[];
  logger: Logger;
  metrics?: MetricsRegistry;
  /** pollMs is how often the file is checked (default 1000): polling sees a ConfigMap's symlink swap, events may not. */
  pollMs?: number;
}

/** loadSources reads the environment and, when given, the config file, merged by precedence. */
export function loadSources(env: Env, file: string | undefined): Env {
  return file ? mergeSources(env, readConfigFile(file)) : env;
}

/** watchConfig loads the config (throwing ConfigError like loadConfig) and follows its file. */
export function watchConfig<S extends z.ZodType<Record<string, unknown>>>(
  schema: S,
  options: LiveConfigOptions,
): LiveConfig<z.output<S>> {
  return followConfig(
    schema,
    loadConfig(schema, loadSources(options.env ?? process.env, options.file)),
    options,
  );
}

/** followConfig follows the file of a config already loaded (createService loads it before it has a logger). */
export function followConfig<S extends z.ZodType<Record<string, unknown>>>(
  schema: S,
  initial: z.output<S>,
  options: LiveConfigOptions,
): LiveConfig<z.output<S>> {
  type C = z.output<S>;
  const env = options.env ?? process.env;
  let current: C = initial;
  let version = 1;
  const listeners = new Set<(next: C, changed: readonly string[]) => void>();
  const reloadable = new Set(options.reloadable);
  const { logger } = options;

  const versionGauge = options.metrics
    ? ((options.metrics.getSingleMetric('config_version') as Gauge | undefined) ??
      new Gauge({
        name: 'config_version',
        help: 'Applied config reloads, 1 at start',
        registers: [options.metrics],
      }))
    : undefined;
  const reloads = options.metrics
    ? ((options.metrics.getSingleMetric('config_reloads_total') as Counter<'outcome'> | undefined) ??
      new Counter({
        name: 'config_reloads_total',
        help: 'Config file reloads by outcome (applied, unchanged, refused)',
        labelNames: ['outcome'],
        registers: [options.metrics],
      }))
    : undefined;
  versionGauge?.set(version);

  const reload = (): ReloadOutcome => {
    let next: C;
    try {
      next = loadConfig(schema, loadSources(env, options.file));
    } catch (error) {
      const problems = error instanceof ConfigError ? error.problems : [(error as Error).message];
      // One line per bad variable, each naming it; the previous value stays in force.
      for (const problem of problems)
        logger.warn({ file: options.file }, `config reload refused: ${problem}; keeping the previous value`);
      reloads?.inc({ outcome: 'refused' });
      return { outcome: 'refused', problems };
    }
    const differs = (name: string) =>
      JSON.stringify((next as Record<string, unknown>)[name]) !==
      JSON.stringify((current as Record<string, unknown>)[name]);
    const changed = [...new Set([...Object.keys(next), ...Object.keys(current)])].filter(differs);
    const live = changed.filter((name) => reloadable.has(name));
    for (const name of changed.filter((n) => !reloadable.has(n))) {
      logger.warn(
        { file: options.file },
        `config: ${name} changed but is read at start only; it takes effect after a restart`,
      );
    }
    if (live.length === 0) {
      reloads?.inc({ outcome: 'unchanged' });
      return { outcome: 'unchanged' };
    }
    current = {
      ...current,
      ...Object.fromEntries(live.map((name) => [name, (next as Record<string, unknown>)[name]])),
    } as C;
    version += 1;
    versionGauge?.set(version);
    reloads?.inc({ outcome: 'applied' });
    logger.info({ file: options.file, changed: live, version }, 'config reloaded');
    for (const listener of listeners) {
      try {
        listener(current, live);
      } catch (error) {
        logger.error({ err: error, changed: live }, 'config listener failed');
      }
    }
    return { outcome: 'applied', changed: live, version };
  };

  // Polling the content rather than file events: a ConfigMap update swaps a symlink, which inotify on the file misses,
  // and comparing what the file says (not its mtime) ignores touches and catches same-second edits.
  const file = options.file;
  const snapshot = (): string => {
    try {
      return JSON.stringify(file ? readConfigFile(file) : {});
    } catch (error) {
      return `unreadable: ${(error as Error).message}`;
    }
  };
  let seen = snapshot();
  const timer = file
    ? setInterval(() => {
        const now = snapshot();
        if (now === seen) return;
        seen = now;
        reload();
      }, options.pollMs ?? 1000)
    : undefined;
  timer?.unref();
  return {
    current: () => current,
    version: () => version,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    reload,
    close: () => clearInterval(timer),
  };
}
