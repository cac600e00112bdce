// The gateway as main.ts runs it (the OpenTelemetry instrumentations first, the framework's JSON logger at LOG_LEVEL,
// default info, its metrics registry, createGateway with the framework's retry and breaker defaults), over the
// downstream addresses given as a JSON argument (the backend.server.ts process). Logs go to stdout, which the parent
// drains, as a log shipper would. Trace export is off, as in `npm start` without Zipkin.
import '@blog/framework/instrument';
import {
  createLogger,
  createMetricsRegistry,
  installTracing,
  StaticRegistry,
  startTelemetry,
} from '@blog/framework/core';
import { createGateway } from '../../apps/api-gateway/src/gateway';
import { AUDIENCE, ISSUER } from '../../apps/api-gateway/src/testing/signing-key';
import { announce } from '../support/child';

async function main(): Promise<void> {
  const addresses = JSON.parse(process.argv[2] ?? '{}') as Record<string, string>;
  const logger = createLogger({
    service: 'api-gateway',
    version: 'bench',
    level: process.env['LOG_LEVEL'] || 'info',
  });
  const metrics = createMetricsRegistry('api-gateway', 'bench');
  installTracing();
  startTelemetry({ service: 'api-gateway', version: 'bench' });
  const cacheTtlMs = Number(process.env['GATEWAY_CACHE_TTL_MS'] ?? '') || undefined;
  const gateway = await createGateway({
    logger,
    metrics,
    registry: new StaticRegistry(addresses),
    version: 'bench',
    settings: {
      // Out of the way: one load generator on one address would meet the per-client limit at once.
      rateLimitPerMinute: 100_000_000,
      authRateLimitPerMinute: 100_000_000,
      jwtIssuer: ISSUER,
      jwtAudience: AUDIENCE,
      viewerHashSalt: 'bench-salt-0123456789abcdef',
      responseCacheTtlMs: cacheTtlMs,
    },
  });
  await gateway.app.listen({ host: '127.0.0.1', port: 0 });
  const address = gateway.app.server.address();
  announce({ port: typeof address === 'object' && address ? address.port : 0 });
}

void main();
