// Rate limits per client address, on @fastify/rate-limit's stores (in memory, or Redis so replicas share counters).
// Two budgets: every request counts against GATEWAY_RATE_LIMIT_PER_MINUTE, and the credential routes (sign-up, login,
// refresh) also against one shared GATEWAY_AUTH_RATE_LIMIT_PER_MINUTE, so password guessing is slowed on all three.
// The plugin's own per-route hooks would give each route a separate budget and let only one limit run per request,
// hence its createRateLimit API and one hook here.
import rateLimit, { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { ApiError } from './errors';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** rateLimitGroup 'auth' adds the credential budget to the route. */
    rateLimitGroup?: 'auth';
  }
}

/** RateLimitSettings configure registerRateLimits. */
export interface RateLimitSettings {
  /** perMinute and authPerMinute are read per request when given as functions: the dynamic config changes them. */
  readonly perMinute: number | (() => number);
  readonly authPerMinute: number | (() => number);
  /** redis makes the counters shared; they are per process without it. */
  readonly redis?: Redis;
  /** windowMs is the window of both budgets (default one minute; tests shorten it). */
  readonly windowMs?: number;
}

/** registerRateLimits adds the limiting hook; a request over a budget gets 429 with Retry-After. */
export async function registerRateLimits(app: FastifyInstance, settings: RateLimitSettings): Promise<void> {
  const timeWindow = settings.windowMs ?? 60_000;
  await app.register(rateLimit, {
    global: false,
    redis: settings.redis,
    nameSpace: 'blog-gateway-rate-limit:',
    // A broken Redis must not take the API down with it: the request goes through unlimited.
    skipOnError: true,
    timeWindow,
  });
  const addressOf = (request: FastifyRequest) => normalizeIP(request.ip);
  const read = (limit: number | (() => number)) => (typeof limit === 'function' ? limit : () => limit);
  const perMinute = read(settings.perMinute);
  const authPerMinute = read(settings.authPerMinute);
  const budgets = {
    all: app.createRateLimit({
      max: () => perMinute(),
      timeWindow,
      keyGenerator: (r) => `all:${addressOf(r)}`,
    }),
    auth: app.createRateLimit({
      max: () => authPerMinute(),
      timeWindow,
      keyGenerator: (r) => `auth:${addressOf(r)}`,
    }),
  };
  app.addHook('onRequest', async (request, reply) => {
    const checks =
      request.routeOptions.config.rateLimitGroup === 'auth' ? [budgets.all, budgets.auth] : [budgets.all];
    for (const check of checks) {
      const limit = await check(request);
      if (limit.isAllowed) continue;
      reply.header('x-ratelimit-limit', limit.max);
      reply.header('x-ratelimit-remaining', limit.remaining);
      reply.header('x-ratelimit-reset', limit.ttlInSeconds);
      if (limit.isExceeded) {
        throw new ApiError('RESOURCE_EXHAUSTED', 'rate limit exceeded: slow down', {
          retryAfterSeconds: Math.max(1, limit.ttlInSeconds),
        });
      }
    }
  });
}
