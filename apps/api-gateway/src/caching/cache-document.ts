// The caching headers in the OpenAPI document, derived from the same route facts as cache-policy.ts so the two cannot
// disagree: a public read documents its ETag and Cache-Control and the 304 an If-None-Match can get; an authenticated
// one its `private, no-store`. Routes that describe their own content (the SSE stream) are left as they are.
import { Type } from 'typebox';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { PRIVATE_CACHE_CONTROL, PUBLIC_CACHE_CONTROL } from './cache-policy';

const ETag = Type.String({ description: 'a strong validator of the body: send it back in If-None-Match' });
const cacheControl = (values: string): ReturnType<typeof Type.String> =>
  Type.String({ description: `caching rule of the answer: ${values}` });

type Responses = Record<string, unknown>;

/** documentCaching adds the caching headers (and the 304) to a GET /v1 route's documented responses. */
export function documentCaching(route: Pick<RouteOptions, 'method' | 'url' | 'schema' | 'config'>): void {
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  if (!methods.includes('GET') || !route.url.startsWith('/v1/')) return;
  const responses = route.schema?.response as Responses | undefined;
  const ok = responses?.[200] as Record<string, unknown> | undefined;
  if (!responses || !ok || 'content' in ok) return;
  const auth = (route.config as { auth?: string } | undefined)?.auth;
  if (auth === 'required') {
    responses[200] = {
      ...ok,
      headers: { ...(ok['headers'] as object), 'Cache-Control': cacheControl(PRIVATE_CACHE_CONTROL) },
    };
    return;
  }
  const control =
    auth === 'optional'
      ? cacheControl(
          `"${PUBLIC_CACHE_CONTROL}" anonymous, "${PRIVATE_CACHE_CONTROL}" with a token (no ETag then)`,
        )
      : cacheControl(PUBLIC_CACHE_CONTROL);
  responses[200] = { ...ok, headers: { ...(ok['headers'] as object), ETag, 'Cache-Control': control } };
  responses[304] = {
    type: 'null',
    description: 'Not Modified: If-None-Match named the current ETag; no body',
    headers: { ETag, 'Cache-Control': cacheControl(PUBLIC_CACHE_CONTROL) },
  };
}

/** registerCacheDocumentation documents caching on every route added after it. */
export function registerCacheDocumentation(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => documentCaching(route));
}
