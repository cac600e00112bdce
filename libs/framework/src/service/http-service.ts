// The lifecycle of a process that serves HTTP and no gRPC (the gateway), on the same parts as createService: config
// from the environment and CONFIG_FILE (followed live, LOG_LEVEL and the declared variables reloading), logger,
// metrics, tracing, the admin port (/healthz, /readyz, /metrics), components started in order and stopped in
// reverse. It loads no broker and no database driver (it is part of @blog/framework/core), and its config has no
// GRPC_* variables: processConfig is the base.
//
//   // apps/api-gateway/src/main.ts
//   void runHttpService(gatewayService());
import type { z } from 'zod';
import type { ProcessConfig } from '../config';
import { startAdminServer, type ReadinessReport } from '../health';
import { startTelemetry } from '../telemetry';
import { startComponents, stopComponents } from './components';
import { createProcessContext } from './process-context';
import { runProcess, type ProcessIo } from './run-service';
import type { Component, ServiceContext, ServiceOptions } from './service';

/** HttpServiceParts are what an HTTP service's setup returns. */
export interface HttpServiceParts {
  /** components start in order (the HTTP server listening last) and stop in reverse. */
  readonly components: readonly Component[];
  /** readiness produces the /readyz report. */
  readonly readiness: () => Promise<ReadinessReport>;
}

/** HttpServiceOptions configure createHttpService. */
export interface HttpServiceOptions<C extends ProcessConfig> extends Pick<
  ServiceOptions<never>,
  'name' | 'version' | 'env' | 'logDestination'
> {
  /** config is the schema of the environment: processConfig(defaults), extended with the service's variables. */
  readonly config: z.ZodType<C>;
  /** reloadable names the service's variables that CONFIG_FILE may change at runtime (LOG_LEVEL always may). */
  readonly reloadable?: readonly (keyof C & string)[];
  /** adminHost is the address the admin port binds (the service's own host variable). */
  readonly adminHost: (config: C) => string;
  readonly setup: (ctx: ServiceContext<C>) => Promise<HttpServiceParts> | HttpServiceParts;
}

/** HttpServiceHandle is a running HTTP service. */
export interface HttpServiceHandle<C extends ProcessConfig> extends ServiceContext<C> {
  readonly ports: { readonly admin: number };
  /** stop stops the components in reverse, then the admin port, telemetry and the config watch. */
  stop(): Promise<void>;
}

/** createHttpService loads the config (throwing ConfigError), starts everything and resolves once it is up. */
export async function createHttpService<C extends ProcessConfig>(
  options: HttpServiceOptions<C>,
): Promise<HttpServiceHandle<C>> {
  const env = options.env ?? process.env;
  const context = createProcessContext(options);
  const { config, live, logger, metrics } = context;
  const cleanups: (() => Promise<unknown> | void)[] = [() => live.close()];
  const unwind = async (): Promise<void> => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  };
  try {
    cleanups.push(startTelemetry({ service: options.name, version: options.version }, env));
    const parts = await options.setup(context);
    await startComponents(parts.components, logger);
    cleanups.push(() => stopComponents(parts.components, logger));
    const admin = await startAdminServer({
      host: options.adminHost(config),
      port: config.ADMIN_PORT,
      metrics,
      readiness: parts.readiness,
    });
    cleanups.push(() => admin.close());
    const ports = { admin: admin.port };
    logger.info({ ports }, 'service started');
    let stopping: Promise<void> | undefined;
    const stop = (): Promise<void> =>
      (stopping ??= (async () => {
        logger.info('service stopping');
        await unwind();
        logger.info('service stopped');
      })());
    return { ...context, ports, stop };
  } catch (error) {
    logger.error({ err: error }, 'service failed to start');
    await unwind().catch((cleanupError: unknown) =>
      logger.error({ err: cleanupError }, 'cleanup after failed start'),
    );
    throw error;
  }
}

/**
 * runHttpService is an HTTP service's main, as runService is a gRPC service's: a bad config prints one line per bad
 * variable and exits 1; SIGTERM/SIGINT stop it gracefully (exit 0), a stop longer than SHUTDOWN_TIMEOUT_MS or a
 * second signal exits 1.
 */
export function runHttpService<C extends ProcessConfig>(
  options: HttpServiceOptions<C>,
  io?: ProcessIo,
): Promise<HttpServiceHandle<C> | undefined> {
  return runProcess(
    options.name,
    () => createHttpService(options),
    io,
    (handle) => Number(handle.config.SHUTDOWN_TIMEOUT_MS),
  );
}
