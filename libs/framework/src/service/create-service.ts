// createService wires a service: config -> logger, metrics, tracing -> admin port -> components -> gRPC server
// with handlers, health and reflection -> SERVING. stop() reverses it: NOT_SERVING, drain, components, admin port.
import { descriptorSetPath as protoDescriptorSetPath } from '@blog/proto';
import { accessInterceptor, ANYONE_AUTHENTICATED, grpcSecurity, type AccessPolicy } from '../auth';
import type { BaseConfig } from '../config';
import { addReflection, checkReadiness, GrpcHealth, startAdminServer, type ReadinessCheck } from '../health';
import {
  addService,
  bindServer,
  createGrpcServer,
  drainServer,
  serviceName,
  type ServiceBinding,
} from '../server';
import { startTelemetry } from '../telemetry';
import { startComponents, stopComponents } from './components';
import { createProcessContext } from './process-context';
import type { Component, ServiceHandle, ServiceOptions } from './service';

type Cleanup = () => Promise<unknown> | void;

/**
 * createService loads the config (throwing ConfigError listing every bad variable), starts everything and resolves
 * once the service reports SERVING. Process signals are not handled here: see runService for an app's main.
 */
export async function createService<C extends BaseConfig>(
  options: ServiceOptions<C>,
): Promise<ServiceHandle<C>> {
  const env = options.env ?? process.env;
  const context = createProcessContext(options);
  const { config, live, logger, metrics } = context;

  // Undo list for a failed start and for stop(), run last-in first-out.
  const cleanups: Cleanup[] = [() => live.close()];
  const unwind = async (): Promise<void> => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  };
  try {
    // The OpenTelemetry SDK, when OTEL_TRACES_EXPORTER / OTEL_EXPORTER_OTLP_ENDPOINT ask for export (telemetry/sdk.ts).
    cleanups.push(startTelemetry({ service: options.name, version: options.version }, env));
    // Before anything connects: a missing or wrong certificate stops the start naming its variable.
    const security = grpcSecurity(options.name, config, logger);
    const parts = (await options.setup?.(context)) ?? {};
    const services: ServiceBinding[] = [...(options.services ?? []), ...(parts.services ?? [])];
    const components: Component[] = [...(options.components ?? []), ...(parts.components ?? [])];
    const names = services.map((s) => serviceName(s.definition));

    let serving = false;
    const checks: ReadinessCheck[] = [
      { name: 'grpc', ready: () => serving },
      ...components.filter(hasReadiness),
      ...(parts.readiness ?? []),
    ];
    const admin = await startAdminServer({
      host: config.GRPC_HOST,
      port: config.ADMIN_PORT,
      metrics,
      readiness: () => checkReadiness(checks),
    });
    cleanups.push(() => admin.close());

    await startComponents(components, logger);
    cleanups.push(() => stopComponents(components, logger));

    const server = createGrpcServer({
      logger,
      metrics,
      maxDeadlineMs: config.GRPC_MAX_DEADLINE_MS,
      // Access rules first, so a refused call reaches none of the service's own interceptors. Without mTLS there is
      // no caller identity to judge (GRPC_INSECURE=true, which production refuses).
      extra: [
        ...(security.mode === 'mtls'
          ? [
              accessInterceptor({
                policy: withOpenProtocols(options.access ?? ANY_IDENTITY),
                logger,
                metrics,
              }),
            ]
          : []),
        ...(options.interceptors ?? []),
      ],
    });
    for (const binding of services) addService(server, binding, logger);
    const health = new GrpcHealth(names);
    health.addToServer(server);
    addReflection(server, {
      descriptorSetPath: options.descriptorSetPath ?? protoDescriptorSetPath,
      services: names,
    });
    const grpcPort = await bindServer(
      server,
      config.GRPC_HOST,
      config.GRPC_PORT,
      security.serverCredentials(),
    );
    // The server takes handshakes once its certificate files have been read (asynchronously, by the file watcher).
    await security.loaded();
    cleanups.push(async () => {
      serving = false;
      health.setServing(false);
      health.endWatches();
      const result = await drainServer(server, config.SHUTDOWN_TIMEOUT_MS);
      logger.info({ drain: result }, 'grpc server stopped');
    });

    health.setServing(true);
    serving = true;
    const ports = { grpc: grpcPort, admin: admin.port };
    logger.info({ ports, services: names }, 'service started');

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

/** ANY_IDENTITY is the policy of a service that declares none: any identity of the CA, never for a user. */
const ANY_IDENTITY: AccessPolicy = { rules: { '*': [ANYONE_AUTHENTICATED] }, actorFrom: [] };

/** withOpenProtocols opens the health (Check, Watch) and reflection methods to every identity of the CA. */
function withOpenProtocols(policy: AccessPolicy): AccessPolicy {
  const open = [ANYONE_AUTHENTICATED];
  return {
    ...policy,
    rules: { Check: open, Watch: open, ServerReflectionInfo: open, ...policy.rules },
  };
}

function hasReadiness(component: Component): component is Component & ReadinessCheck {
  return typeof component.ready === 'function';
}
