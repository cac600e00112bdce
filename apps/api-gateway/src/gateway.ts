// createGateway assembles the whole gateway from a registry and settings: downstream clients, token keys, the
// account status cache, readiness, view recording, rate-limit store, and the Fastify app. main.ts feeds it the
// environment; tests feed it a registry of their own gRPC servers.
import { randomBytes } from 'node:crypto';
import type { BreakerOptions, GrpcSecurity, Logger, Registry, RetryOptions } from '@blog/framework/core';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import type { Registry as MetricsRegistry } from 'prom-client';
import { buildApp } from './app';
import { AccountStatusCache } from './auth/account-status-cache';
import { JwksKeyStore, type KeyStoreOptions } from './auth/jwks-key-store';
import { JwtVerifier } from './auth/jwt-verifier';
import {
  closeGatewayClients,
  createGatewayClients,
  DOWNSTREAM_SERVICES,
  type GatewayClients,
  type LiveClientSettings,
  reconfigureGatewayClients,
} from './clients';
import { MemoryResponseStore, RedisResponseStore } from './caching/response-store';
import { ViewRecorder } from './composition/view-recorder';
import { ViewStream } from './composition/view-stream';
import { DownstreamReadiness } from './readiness';
import { required } from './schemas/common';

/** GatewaySettings are the knobs of the gateway (from the environment in main.ts). */
export interface GatewaySettings {
  readonly rateLimitPerMinute: number;
  readonly authRateLimitPerMinute: number;
  /** rateLimitWindowMs is one minute unless a test shortens it. */
  readonly rateLimitWindowMs?: number;
  readonly redisUrl?: string;
  readonly corsOrigins?: readonly string[];
  readonly trustProxy?: boolean;
  readonly jwtIssuer: string;
  readonly jwtAudience: string;
  /** viewerHashSalt: random per process when absent (anonymous readers then count anew after a restart). */
  readonly viewerHashSalt?: string;
  readonly accountStatusTtlMs?: number;
  readonly breaker?: BreakerOptions;
  readonly retry?: RetryOptions;
  readonly nodeCooldownMs?: number;
  readonly keys?: Pick<KeyStoreOptions, 'retryIntervalMs' | 'refreshIntervalMs' | 'unknownKidCooldownMs'>;
  readonly readinessTimeoutMs?: number;
  /**
   * responseCacheTtlMs turns on the response cache of public reads for that long (0 or absent: off); the cache lives
   * in Redis when redisUrl is set (shared by the replicas), in the process otherwise (caching/http-cache.ts).
   */
  readonly responseCacheTtlMs?: number;
  /** requestLogSampleRate: share of successful requests logged at info (default 0: at debug only). */
  readonly requestLogSampleRate?: number;
}

/** GatewayOptions are the settings plus the process-wide parts. */
export interface GatewayOptions {
  readonly logger: Logger;
  readonly metrics: MetricsRegistry;
  readonly registry: Registry;
  readonly settings: GatewaySettings;
  readonly version?: string;
  /** security: the gateway's mTLS identity for its downstream calls (grpcSecurity); plain TCP when absent (tests). */
  readonly security?: GrpcSecurity;
}

/** Gateway is an assembled gateway: listen with `app.listen`, stop with `close`. */
export interface Gateway {
  readonly app: FastifyInstance;
  readonly clients: GatewayClients;
  readonly keys: JwksKeyStore;
  readonly accounts: AccountStatusCache;
  readonly readiness: DownstreamReadiness;
  /** views is the gateway's one RecordViews stream. */
  readonly views: ViewStream;
  /**
   * reconfigure applies the settings that change at runtime (dynamic config: CONFIG_FILE): rate limits, breaker
   * thresholds and downstream deadlines; requests already in flight keep what they started with.
   */
  reconfigure(live: LiveGatewaySettings): void;
  /** close stops taking requests, waits for those in flight, then releases clients, timers and Redis. */
  close(): Promise<void>;
}

/** LiveGatewaySettings are the gateway settings that reload without a restart. */
export interface LiveGatewaySettings extends LiveClientSettings {
  readonly rateLimitPerMinute: number;
  readonly authRateLimitPerMinute: number;
}

/** createGateway builds the gateway and starts fetching token keys (it does not listen). */
export async function createGateway(options: GatewayOptions): Promise<Gateway> {
  const { logger, metrics, registry, settings } = options;
  const clients = createGatewayClients({
    registry,
    logger,
    metrics,
    breaker: settings.breaker,
    retry: settings.retry,
    nodeCooldownMs: settings.nodeCooldownMs,
    security: options.security,
  });
  const keys = new JwksKeyStore({
    ...settings.keys,
    logger,
    fetchKeys: async () => (await clients.auth.getJwks({})).keys,
  });
  const accounts = new AccountStatusCache({
    logger,
    activeTtlMs: settings.accountStatusTtlMs,
    fetchStatus: async (accountId) =>
      required((await clients.auth.getAccount({ accountId })).account, 'account').status,
  });
  const readiness = new DownstreamReadiness({
    registry,
    services: DOWNSTREAM_SERVICES,
    keysLoaded: () => keys.loaded,
    timeoutMs: settings.readinessTimeoutMs,
    security: options.security,
  });
  let salt = settings.viewerHashSalt;
  if (!salt) {
    salt = randomBytes(16).toString('hex');
    logger.warn('VIEWER_HASH_SALT is not set: anonymous readers are hashed with a per-process salt');
  }
  // One RecordViews stream per gateway carries every view (composition/view-stream.ts).
  const viewStream = new ViewStream(clients.views, logger);
  const views = new ViewRecorder(viewStream, salt, logger, metrics);
  const redis = settings.redisUrl
    ? new Redis(settings.redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 2000, lazyConnect: false })
    : undefined;
  redis?.on('error', (error) => logger.warn({ err: error }, 'redis (rate limits, response cache) error'));
  const responseCacheTtlMs = settings.responseCacheTtlMs ?? 0;
  const responseCache =
    responseCacheTtlMs > 0
      ? {
          store: redis ? new RedisResponseStore(redis) : new MemoryResponseStore(),
          ttlMs: responseCacheTtlMs,
        }
      : undefined;

  // The budgets in force, read per request so that reconfigure changes them at once.
  let limits = {
    rateLimitPerMinute: settings.rateLimitPerMinute,
    authRateLimitPerMinute: settings.authRateLimitPerMinute,
  };
  const reconfigure = (live: LiveGatewaySettings) => {
    limits = {
      rateLimitPerMinute: live.rateLimitPerMinute,
      authRateLimitPerMinute: live.authRateLimitPerMinute,
    };
    reconfigureGatewayClients(clients, live);
  };
  const app = await buildApp({
    logger,
    metrics,
    clients,
    verifier: new JwtVerifier({ keys, issuer: settings.jwtIssuer, audience: settings.jwtAudience }),
    accounts,
    readiness,
    views,
    rateLimit: {
      perMinute: () => limits.rateLimitPerMinute,
      authPerMinute: () => limits.authRateLimitPerMinute,
      windowMs: settings.rateLimitWindowMs,
      redis,
    },
    corsOrigins: settings.corsOrigins,
    trustProxy: settings.trustProxy,
    responseCache,
    requestLogSampleRate: settings.requestLogSampleRate,
    version: options.version,
  });
  keys.start();

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await app.close();
      await viewStream.close();
      keys.stop();
      readiness.close();
      closeGatewayClients(clients);
      await redis?.quit().catch(() => redis.disconnect());
    })());
  return { app, clients, keys, accounts, readiness, views: viewStream, reconfigure, close };
}
