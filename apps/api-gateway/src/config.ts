// The gateway's environment: the variables every process shares (no GRPC_*: the gateway serves no gRPC) plus its
// own (see README "Configuration").
import { milliseconds, port, processConfig } from '@blog/framework/core';
import { z } from 'zod';
import type { GatewaySettings } from './gateway';

const perMinute = (defaultValue: number) =>
  z.coerce
    .number({ error: 'must be a number of requests per minute' })
    .int({ error: 'must be a whole number of requests per minute' })
    .min(1, { error: 'must be at least 1' })
    .default(defaultValue);

const list = z.string().transform((value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0),
);

/** gatewayConfig is the schema of the gateway's environment. */
export const gatewayConfig = processConfig({ adminPort: 9100 }).extend({
  /** GATEWAY_HOST: loopback by default (REST and admin ports); containers set 0.0.0.0. */
  GATEWAY_HOST: z.string().default('127.0.0.1'),
  GATEWAY_PORT: port(8080),
  GATEWAY_RATE_LIMIT_PER_MINUTE: perMinute(600),
  GATEWAY_AUTH_RATE_LIMIT_PER_MINUTE: perMinute(60),
  /** REDIS_URL makes replicas share rate-limit counters; without it each process counts alone. */
  REDIS_URL: z.url({ error: 'must be a URL such as redis://127.0.0.1:6379' }).optional(),
  /**
   * GATEWAY_RESPONSE_CACHE_TTL_MS serves public reads from a cache for that long (0: off); in Redis when REDIS_URL is
   * set, in the process otherwise. GATEWAY_REQUEST_LOG_SAMPLE_RATE logs that share of successful requests at info.
   */
  GATEWAY_RESPONSE_CACHE_TTL_MS: z.coerce.number().int().min(0).max(3_600_000).default(0),
  GATEWAY_REQUEST_LOG_SAMPLE_RATE: z.coerce.number().min(0).max(1).default(0),
  /** CORS_ORIGINS: comma list of allowed origins, `*` for any; unset turns CORS off. */
  CORS_ORIGINS: list.optional(),
  JWT_ISSUER: z.string().default('blog-auth'),
  JWT_AUDIENCE: z.string().default('blog-api'),
  /** VIEWER_HASH_SALT salts the hash of an anonymous reader's address; give every replica the same one. */
  VIEWER_HASH_SALT: z.string().min(16, { error: 'must be at least 16 characters' }).optional(),
  /** TRUST_PROXY: the client address comes from X-Forwarded-For when the gateway runs behind a proxy. */
  TRUST_PROXY: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .default('false')
    .transform((value) => value === 'true'),
  BREAKER_RESET_TIMEOUT_MS: milliseconds(10_000),
  BREAKER_ERROR_THRESHOLD_PERCENTAGE: z.coerce.number().min(1).max(100).default(50),
  BREAKER_VOLUME_THRESHOLD: z.coerce.number().int().min(1).default(5),
  /** DOWNSTREAM_DEADLINE_FACTOR multiplies every downstream deadline of clients.ts (e.g. 2 on a slow host). */
  DOWNSTREAM_DEADLINE_FACTOR: z.coerce
    .number({ error: 'must be a number such as 1.5' })
    .min(0.1, { error: 'must be at least 0.1' })
    .max(10, { error: 'must be at most 10' })
    .default(1),
  /** ACCOUNT_STATUS_TTL_MS is how long an ACTIVE account status is trusted before auth is asked again. */
  ACCOUNT_STATUS_TTL_MS: milliseconds(1000),
});

/**
 * GATEWAY_RELOADABLE are the variables a change of CONFIG_FILE applies without a restart (README "Dynamic config");
 * any other change is logged as waiting for a restart, and a bad value is refused with the previous one kept.
 */
export const GATEWAY_RELOADABLE = [
  'LOG_LEVEL',
  'GATEWAY_RATE_LIMIT_PER_MINUTE',
  'GATEWAY_AUTH_RATE_LIMIT_PER_MINUTE',
  'BREAKER_ERROR_THRESHOLD_PERCENTAGE',
  'BREAKER_VOLUME_THRESHOLD',
  'BREAKER_RESET_TIMEOUT_MS',
  'DOWNSTREAM_DEADLINE_FACTOR',
] as const;

/** settingsOf picks the gateway's settings out of a loaded config. */
export function settingsOf(config: GatewayConfig): GatewaySettings {
  return {
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
  };
}

/** liveSettingsOf picks the reloadable settings out of a loaded config. */
export function liveSettingsOf(config: GatewayConfig) {
  return {
    rateLimitPerMinute: config.GATEWAY_RATE_LIMIT_PER_MINUTE,
    authRateLimitPerMinute: config.GATEWAY_AUTH_RATE_LIMIT_PER_MINUTE,
    deadlineFactor: config.DOWNSTREAM_DEADLINE_FACTOR,
    breaker: {
      resetTimeoutMs: config.BREAKER_RESET_TIMEOUT_MS,
      errorThresholdPercentage: config.BREAKER_ERROR_THRESHOLD_PERCENTAGE,
      volumeThreshold: config.BREAKER_VOLUME_THRESHOLD,
    },
  };
}

/** GatewayConfig is the typed gateway environment. */
export type GatewayConfig = z.output<typeof gatewayConfig>;
