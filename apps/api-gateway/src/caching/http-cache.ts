// HTTP caching at the gateway (cache-policy.ts says which answers): ETags and 304 Not Modified on public reads,
// `Cache-Control` on public and private reads, and, when a TTL is set, a short-lived response cache for public reads
// of routes without side effects (response-store.ts: in-process, or Redis shared by the replicas).
//
// The ETag is a hash of the body as sent, so it changes exactly when the answer does, whether it came from the
// service or from the cache. A request whose If-None-Match names it gets 304 with no body (the handler still ran,
// unless the cache answered). Freshness: a cached answer is at most `ttlMs` old; a write through this gateway
// (any successful POST, PUT, PATCH or DELETE) empties the in-process cache, so a client sees its own writes at once
// on one gateway; with Redis, entries only expire (another replica's writes are not seen), so keep the TTL short.
import { hash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Counter, type Registry } from 'prom-client';
import {
  cachePolicyOf,
  type CachePolicy,
  PRIVATE_CACHE_CONTROL,
  PUBLIC_CACHE_CONTROL,
  responseCacheable,
} from './cache-policy';
import { registerCacheDocumentation } from './cache-document';
import type { ResponseStore } from './response-store';

/** ResponseCacheSettings turn the response cache on (it is off without them). */
export interface ResponseCacheSettings {
  readonly store: ResponseStore;
  /** ttlMs is how long an answer is served from the cache. */
  readonly ttlMs: number;
}

/** HttpCacheOptions configure registerHttpCaching. */
export interface HttpCacheOptions {
  readonly metrics: Registry;
  readonly responseCache?: ResponseCacheSettings;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** cachePolicy is decided once per request, by the first caching hook that needs it. */
    cachePolicy: CachePolicy | null;
    /** cacheHit: the answer came from the response cache (it is not stored again). */
    cacheHit: boolean;
  }
}

/** etagOf is the strong ETag of a body: a hash of its bytes. */
export function etagOf(body: string): string {
  return `"${hash('sha1', body, 'base64url')}"`;
}

/** matchesIfNoneMatch tells whether an If-None-Match header names `etag` (weak comparison, RFC 9110 13.1.2). */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  const opaque = etag.replace(/^W\//, '');
  return header.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === opaque);
}

function policyOf(request: FastifyRequest): CachePolicy {
  return (request.cachePolicy ??= cachePolicyOf(request));
}

function addVary(reply: FastifyReply, field: string): void {
  const current = reply.getHeader('vary');
  const existing =
    current === undefined
      ? []
      : String(current)
          .split(',')
          .map((v) => v.trim());
  if (!existing.some((v) => v.toLowerCase() === field.toLowerCase() || v === '*')) {
    reply.header('vary', [...existing, field].filter(Boolean).join(', '));
  }
}

/** registerHttpCaching adds the caching hooks; call after authentication and before the routes. */
export function registerHttpCaching(app: FastifyInstance, options: HttpCacheOptions): void {
  registerCacheDocumentation(app);
  app.decorateRequest('cachePolicy', null);
  app.decorateRequest('cacheHit', false);
  const cache = options.responseCache && options.responseCache.ttlMs > 0 ? options.responseCache : undefined;
  const outcomes = new Counter({
    name: 'gateway_response_cache_total',
    help: 'Response cache lookups of public reads, by result (hit, miss, error)',
    labelNames: ['result'] as const,
    registers: [options.metrics],
  });

  if (cache) {
    app.addHook('preHandler', async (request, reply) => {
      if (request.method !== 'GET' || policyOf(request) !== 'public' || !responseCacheable(request)) return;
      let cached;
      try {
        cached = await cache.store.get(request.url);
      } catch (error) {
        // A broken cache is a slower gateway, not a broken one.
        outcomes.inc({ result: 'error' });
        request.log.debug({ err: error }, 'response cache read failed');
        return;
      }
      outcomes.inc({ result: cached ? 'hit' : 'miss' });
      if (!cached) return;
      request.cacheHit = true;
      return reply.type('application/json; charset=utf-8').send(cached.body);
    });
    // A write through this gateway may change what it cached: drop it (in-process only, see the header).
    app.addHook('onResponse', (request, reply, done) => {
      if (request.method !== 'GET' && request.method !== 'HEAD' && reply.statusCode < 400) {
        void cache.store.clear().catch(() => undefined);
      }
      done();
    });
  }

  app.addHook('onSend', async (request, reply, payload) => {
    const policy = policyOf(request);
    if (policy === 'none') return payload;
    if (policy === 'private') {
      reply.header('cache-control', PRIVATE_CACHE_CONTROL);
      return payload;
    }
    if (reply.statusCode !== 200 || typeof payload !== 'string') return payload;
    const etag = etagOf(payload);
    reply.header('etag', etag);
    reply.header('cache-control', PUBLIC_CACHE_CONTROL);
    // The same URL answers differently to an authenticated caller on optional-authentication routes.
    if (request.routeOptions.config.auth === 'optional') addVary(reply, 'Authorization');
    if (
      cache &&
      !request.cacheHit &&
      request.method === 'GET' &&
      responseCacheable(request) &&
      // A composed answer missing a part (author or blog lookup failed) is not kept.
      reply.getHeader('x-partial-response') === undefined
    ) {
      cache.store.set(request.url, { body: payload, etag }, cache.ttlMs).catch((error: unknown) => {
        outcomes.inc({ result: 'error' });
        request.log.debug({ err: error }, 'response cache write failed');
      });
    }
    if (matchesIfNoneMatch(request.headers['if-none-match'], etag)) {
      reply.code(304);
      reply.removeHeader('content-type');
      reply.removeHeader('content-length');
      return null;
    }
    return payload;
  });
}
