// The gateway's environment: the shared variables plus its own (see README "Configuration").
import { baseConfig, milliseconds, port } from '@blog/framework/core';
import { z } from 'zod';

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
export const gatewayConfig = baseConfig({ grpcPort: 7050, adminPort: 9100 }).extend({
  /** GATEWAY_HOST: loopback by default (REST and admin ports); containers set 0.0.0.0. */
  GATEWAY_HOST: z.string().default('127.0.0.1'),
  GATEWAY_PORT: port(8080),
  GATEWAY_RATE_LIMIT_PER_MINUTE: perMinute(600),
  GATEWAY_AUTH_RATE_LIMIT_PER_MINUTE: perMinute(60),
  /** REDIS_URL makes replicas share rate-limit counters; without it each process counts alone. */
  REDIS_URL: z.url({ error: 'must be a URL such as redis://127.0.0.1:6379' }).optional(),
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
  /** ACCOUNT_STATUS_TTL_MS is how long an ACTIVE account status is trusted before auth is asked again. */
  ACCOUNT_STATUS_TTL_MS: milliseconds(1000),
});

/** GatewayConfig is the typed gateway environment. */
export type GatewayConfig = z.output<typeof gatewayConfig>;
