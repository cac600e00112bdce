// Which answers may be cached, and by whom. Decided per route from what the gateway already knows about it:
//   - public: a GET of /v1 on a route without authentication, or with optional authentication asked without an
//     Authorization header: the answer is the same for every anonymous client, so it gets an ETag (If-None-Match then
//     answers 304 without a body) and `Cache-Control: public, no-cache` (any cache may keep it, but must revalidate:
//     the data changes through sagas at any time, so the gateway promises no freshness);
//   - private: a route that requires authentication, or an optional one asked with a token (a post's author sees
//     their own draft): `Cache-Control: private, no-store`, no ETag, never in the response cache;
//   - anything else (operations routes, non-GET methods, errors) is left as it was.
// The response cache (response-cache.ts) takes only public answers of routes without side effects.
import type { FastifyRequest } from 'fastify';

/** CachePolicy is how one request's answer may be cached. */
export type CachePolicy = 'public' | 'private' | 'none';

/**
 * UNCACHED_RESPONSE_ROUTES are public routes that must run for every request: GET /v1/posts/{postId} records a view
 * of the post (the visitor statistics would miss every hit served from a cache). They still get ETags and 304s: the
 * handler runs, only the body is not sent again.
 */
export const UNCACHED_RESPONSE_ROUTES: ReadonlySet<string> = new Set(['/v1/posts/:postId']);

/** PUBLIC_CACHE_CONTROL and PRIVATE_CACHE_CONTROL are the two Cache-Control values the gateway sets. */
export const PUBLIC_CACHE_CONTROL = 'public, no-cache';
export const PRIVATE_CACHE_CONTROL = 'private, no-store';

/** cachePolicyOf classifies a request by its method, route and authentication. */
export function cachePolicyOf(request: FastifyRequest): CachePolicy {
  if (request.method !== 'GET' && request.method !== 'HEAD') return 'none';
  const route = request.routeOptions.url;
  if (route === undefined || !route.startsWith('/v1/')) return 'none';
  const auth = request.routeOptions.config.auth;
  if (auth === 'required') return 'private';
  if (auth === 'optional' && request.headers.authorization !== undefined) return 'private';
  return 'public';
}

/** responseCacheable tells whether a public answer of this request may be served from the response cache. */
export function responseCacheable(request: FastifyRequest): boolean {
  return !UNCACHED_RESPONSE_ROUTES.has(request.routeOptions.url ?? '');
}
