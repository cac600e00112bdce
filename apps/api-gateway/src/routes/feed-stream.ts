// GET /v1/users/me/feed/stream: the caller's feed as Server-Sent Events, live. The gateway opens the subscribe
// service's StreamFeed (a gRPC server stream) and relays each event as `id: <event id>`, `event: post`,
// `data: <PostSummary JSON>`. Everything that can fail before the first byte (token, Last-Event-ID, Accept, the
// stream's start downstream) is answered with the contract's JSON error; once the 200 is sent, a failure ends the
// response, and the browser's EventSource reconnects with Last-Event-ID, resuming after the last event it got
// (from any gateway replica, to any subscribe replica: the position is the event id, kept by the client).
import { once } from 'node:events';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../auth/authenticate';
import { ApiError } from '../errors';
import { DOWNSTREAM_ERRORS, errorResponses } from '../schemas/common';
import { PostSummary, toPostSummary } from '../schemas/posts';
import { BEARER_AUTH, type RouteDeps } from './deps';

/** SSE_KEEPALIVE_MS: a comment line this often keeps proxies and load balancers from closing an idle stream. */
export const SSE_KEEPALIVE_MS = 15_000;
/** SSE_RETRY_MS is the reconnection delay the stream asks EventSource to use. */
export const SSE_RETRY_MS = 1_000;

const EVENT_ID = '^(0|[1-9][0-9]{0,17})$';

/** acceptsEventStream: no Accept, any type, or text/event-stream (EventSource sends the latter). */
function acceptsEventStream(accept: string | undefined): boolean {
  if (!accept) return true;
  return accept
    .split(',')
    .map((part) => part.split(';')[0]?.trim().toLowerCase())
    .some((type) => type === 'text/event-stream' || type === 'text/*' || type === '*/*');
}

/** feedStreamRoutes: the live feed. */
export const feedStreamRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { clients }) => {
  app.get(
    '/v1/users/me/feed/stream',
    {
      // The request's deadline bounds the stream's start only (startTimeoutMs); the stream itself has none.
      config: { auth: 'required' as const, deadlineMs: Number.POSITIVE_INFINITY },
      schema: {
        tags: ['subscriptions'],
        summary: "The caller's feed, live: posts of followed blogs as Server-Sent Events (event `post`)",
        description:
          'Each event: `id` (send it back as Last-Event-ID to resume after it), `event: post`, `data`: a PostSummary. ' +
          'Without Last-Event-ID the stream starts with posts published from now on. Errors before the stream starts ' +
          'are JSON; the Accept header must allow text/event-stream.',
        security: BEARER_AUTH,
        headers: Type.Object({
          'last-event-id': Type.Optional(
            Type.String({ pattern: EVENT_ID, description: 'the id of the last event received' }),
          ),
        }),
        response: {
          200: {
            description: 'text/event-stream: `id: <event id>`, `event: post`, `data: <PostSummary JSON>`',
            content: { 'text/event-stream': { schema: PostSummary } },
          },
          // 400: a bad Last-Event-ID, or an Accept that does not allow text/event-stream.
          ...errorResponses(400, 401, ...DOWNSTREAM_ERRORS),
        },
      },
    },
    async (request, reply) => {
      if (!acceptsEventStream(request.headers.accept)) {
        throw new ApiError('INVALID_ARGUMENT', 'this route answers text/event-stream', {
          details: [{ field: 'Accept', message: 'must allow text/event-stream' }],
        });
      }
      const left = new AbortController();
      request.raw.once('close', () => left.abort());
      const stream = await clients.subscriptions.streamFeed(
        {
          subscriberId: principalOf(request).accountId,
          after: String(request.headers['last-event-id'] ?? ''),
        },
        { signal: left.signal },
      );
      // The stream has started downstream: from here on the answer is the event stream.
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        ...(reply.getHeaders() as Record<string, string>),
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        'x-accel-buffering': 'no',
      });
      res.write(`retry: ${SSE_RETRY_MS}\n\n`);
      const keepalive = setInterval(() => res.write(': keepalive\n\n'), SSE_KEEPALIVE_MS);
      try {
        for await (const event of stream) {
          if (!event.post) continue;
          const frame = `id: ${event.eventId}\nevent: post\ndata: ${JSON.stringify(toPostSummary(event.post))}\n\n`;
          // A slow reader holds the gRPC stream back instead of growing the gateway's memory.
          if (!res.write(frame)) await Promise.race([once(res, 'drain'), once(res, 'close')]);
          if (left.signal.aborted) break;
        }
      } catch (err) {
        // Downstream ended the stream (a subscribe replica draining says UNAVAILABLE): the client reconnects.
        if (!left.signal.aborted) request.log.info({ err }, 'feed stream ended by the subscribe service');
      } finally {
        clearInterval(keepalive);
        stream.cancel();
        res.end();
      }
    },
  );
};
