// What every process of the framework builds first, gRPC service or HTTP service alike: the config from the
// environment and CONFIG_FILE (followed live; LOG_LEVEL and the declared variables reload), the logger, the metrics
// registry and tracing. createService and createHttpService both start from it.
import type { z } from 'zod';
import { followConfig, loadConfig, loadSources, type ProcessConfig } from '../config';
import { createLogger, createMetricsRegistry, installTracing } from '../telemetry';
import type { ServiceContext, ServiceOptions } from './service';

/** ProcessContextOptions are the options createProcessContext reads. */
export interface ProcessContextOptions<C extends ProcessConfig> extends Pick<
  ServiceOptions<never>,
  'name' | 'version' | 'env' | 'logDestination'
> {
  readonly config: z.ZodType<C>;
  readonly reloadable?: readonly (keyof C & string)[];
}

/** createProcessContext loads the config (throwing ConfigError listing every bad variable) and builds the context. */
export function createProcessContext<C extends ProcessConfig>(
  options: ProcessContextOptions<C>,
): ServiceContext<C> {
  const env = options.env ?? process.env;
  // CONFIG_FILE itself comes from the environment; the file then lies over the environment (config/sources.ts).
  const configFile = env['CONFIG_FILE'] || undefined;
  const config = loadConfig(options.config, loadSources(env, configFile));
  const logger = createLogger({
    service: options.name,
    version: options.version,
    level: config.LOG_LEVEL,
    destination: options.logDestination,
  });
  const metrics = createMetricsRegistry(options.name, options.version);
  installTracing();
  const live = followConfig(options.config, config, {
    env,
    file: configFile,
    reloadable: ['LOG_LEVEL', ...(options.reloadable ?? [])],
    logger,
    metrics,
  });
  // Child loggers inherit the root's level unless they set their own, so one assignment reaches them all.
  live.onChange((next, changed) => {
    if (changed.includes('LOG_LEVEL')) logger.level = next.LOG_LEVEL;
  });
  return { name: options.name, version: options.version, config, live, logger, metrics };
}
