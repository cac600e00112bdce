// The gateway process: environment -> logger, metrics, tracing, registry -> gateway on GATEWAY_PORT and the admin
// port (/healthz, /readyz, /metrics for probes) -> graceful stop on SIGTERM/SIGINT.
// First: the OpenTelemetry instrumentations must patch pg and http before anything loads them.
import '@blog/framework/instrument';
import {
  ConfigError,
  createLogger,
  createMetricsRegistry,
  createRegistry,
  installTracing,
  loadConfig,
  loadSources,
  packageVersion,
  startAdminServer,
  startTelemetry,
} from '@blog/framework/core';
import { gatewayConfig, liveSettingsOf } from './config';
import { createGateway } from './gateway';
import { followGatewayConfig } from './live-config';

const NAME = 'api-gateway';

async function main(): Promise<void> {
  const configFile = process.env['CONFIG_FILE'] || undefined;
  let config;
  try {
    // CONFIG_FILE itself comes from the environment; the file then lies over the environment.
    config = loadConfig(gatewayConfig, loadSources(process.env, configFile));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${NAME}: ${error.message}\n`);
    process.exit(1);
  }
  const version = packageVersion(__dirname);
  const logger = createLogger({ service: NAME, version, level: config.LOG_LEVEL });
  const metrics = createMetricsRegistry(NAME, version);
  installTracing();
  // The OpenTelemetry SDK when OTEL_TRACES_EXPORTER / OTEL_EXPORTER_OTLP_ENDPOINT ask for export.
  const stopTracing = startTelemetry({ service: NAME, version });

  const gateway = await createGateway({
    logger,
    metrics,
    registry: createRegistry(),
    version,
    settings: {
      rateLimitPerMinute: config.GATEWAY_RATE_LIMIT_PER_MINUTE,
      authRateLimitPerMinute: config.GATEWAY_AUTH_RATE_LIMIT_PER_MINUTE,
      redisUrl: config.REDIS_URL,
      corsOrigins: config.CORS_ORIGINS,
      trustProxy: config.TRUST_PROXY,
      jwtIssuer: config.JWT_ISSUER,
      jwtAudience: config.JWT_AUDIENCE,
      viewerHashSalt: config.VIEWER_HASH_SALT,
      accountStatusTtlMs: config.ACCOUNT_STATUS_TTL_MS,
      responseCacheTtlMs: config.GATEWAY_RESPONSE_CACHE_TTL_MS,
      requestLogSampleRate: config.GATEWAY_REQUEST_LOG_SAMPLE_RATE,
      breaker: {
        resetTimeoutMs: config.BREAKER_RESET_TIMEOUT_MS,
        errorThresholdPercentage: config.BREAKER_ERROR_THRESHOLD_PERCENTAGE,
        volumeThreshold: config.BREAKER_VOLUME_THRESHOLD,
      },
    },
  });
  // The reloadable settings in force from the start (the deadline factor included), then each reload of CONFIG_FILE.
  gateway.reconfigure(liveSettingsOf(config));
  const live = followGatewayConfig(gateway, config, { file: configFile, logger, metrics });
  await gateway.app.listen({ host: config.GATEWAY_HOST, port: config.GATEWAY_PORT });
  const admin = await startAdminServer({
    host: config.GATEWAY_HOST,
    port: config.ADMIN_PORT,
    metrics,
    readiness: () => gateway.readiness.report(),
  });
  logger.info({ ports: { http: config.GATEWAY_PORT, admin: admin.port } }, 'gateway started');

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting without waiting');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'signal received: stopping');
    const force = setTimeout(() => {
      logger.error({ timeoutMs: config.SHUTDOWN_TIMEOUT_MS }, 'shutdown timed out: exiting');
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS);
    force.unref();
    (async () => {
      live.close();
      await gateway.close();
      await admin.close();
      await stopTracing();
      logger.info('gateway stopped');
      process.exit(0);
    })().catch((error: unknown) => {
      logger.error({ err: error }, 'stop failed');
      process.exit(1);
    });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${NAME}: failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
