// gRPC handlers of blog.subscribe.v1.SubscribeService: validate, then one transaction of repository calls (and the
// outbox event the change announces); the rules themselves live in domain/.
import { randomUUID } from 'node:crypto';
import {
  FailedPreconditionError,
  NotFoundError,
  validate,
  type Handlers,
  type Outbox,
  type Queryable,
  type TransactionRunner,
  newSagaId,
} from '@blog/framework';
import { post, type subscribe } from '@blog/proto';
import { z } from 'zod';
import { decodeCursor, pageOf } from './domain/feed-cursor';
import { decideUnsubscribe, toProtoSubscription, type Subscription } from './domain/subscription';
import { subscriptionCancelled, subscriptionRequested } from './events/outgoing';
import { feedPage, feedSince, removeBlogFromFeed, type FeedItem } from './repository/feed.repository';
import type { FeedTail } from './streams/feed-tail';
import { findOpen, insertPending, latest, listOpen, transition } from './repository/subscriptions.repository';

const uuid = z.uuid({ error: 'must be a UUID' });
const pairRequest = z.object({ subscriberId: uuid, blogId: uuid });
const readerRequest = z.object({ subscriberId: uuid });

/** DEFAULT_FEED_LIMIT is the page size when the request gives none (limit 0, proto3's "unset"). */
export const DEFAULT_FEED_LIMIT = 20;

/** feedRequest validates GetFeed: limit 1..100 (0 means the default), cursor opaque. */
export const feedRequest = z.object({
  subscriberId: uuid,
  limit: z
    .number()
    .int()
    .min(0, { error: 'must be between 1 and 100' })
    .max(100, { error: 'must be between 1 and 100' })
    .transform((n) => n || DEFAULT_FEED_LIMIT),
  cursor: z.string().max(500, { error: 'is not a cursor returned by this API' }),
});

/** SubscribeDeps are the store the handlers read and write, and the outbox their events go through. */
export interface SubscribeDeps {
  readonly store: TransactionRunner & Queryable;
  readonly outbox: Outbox;
  /** tail wakes feed streams when their reader's feed grows. */
  readonly tail: FeedTail;
}

/** streamFeedRequest validates StreamFeed: `after` is empty or an event id this API sent (SSE's Last-Event-ID). */
export const streamFeedRequest = z.object({
  subscriberId: uuid,
  after: z.string().regex(/^(|0|[1-9][0-9]{0,17})$/, { error: 'is not an event id sent by this API' }),
});

/** FEED_STREAM_BATCH is how many rows a feed stream reads at a time. */
const FEED_STREAM_BATCH = 100;

/** subscribeHandlers implements blog.subscribe.v1.SubscribeService. */
export function subscribeHandlers(deps: SubscribeDeps): Handlers<typeof subscribe.SubscribeServiceService> {
  const { store, outbox, tail } = deps;
  return {
    async subscribe(request) {
      const pair = validate(pairRequest, request);
      const { subscription, created } = await store.withTransaction(async (tx) => {
        // A concurrent Subscribe of the same pair may win the insert; its row is then the answer. The loop only
        // repeats if that row changed state in between (it is gone from PENDING/ACTIVE again).
        for (let attempt = 0; attempt < 3; attempt++) {
          const open = await findOpen(tx, pair.subscriberId, pair.blogId);
          if (open) return { subscription: open, created: false };
          const inserted = await insertPending(tx, { subscriptionId: randomUUID(), ...pair });
          if (inserted) {
            await outbox.add(tx, subscriptionRequested(inserted, newSagaId()));
            return { subscription: inserted, created: true };
          }
        }
        throw new Error('subscription of the pair kept changing while subscribing');
      });
      return { subscription: toProtoSubscription(subscription), created };
    },

    async getSubscription(request) {
      const pair = validate(pairRequest, request);
      const found = await latest(store, pair.subscriberId, pair.blogId);
      if (!found) throw new NotFoundError('no subscription to this blog');
      return { subscription: toProtoSubscription(found) };
    },

    async unsubscribe(request) {
      const pair = validate(pairRequest, request);
      await store.withTransaction(async (tx) => {
        const open = await findOpen(tx, pair.subscriberId, pair.blogId, { lock: true });
        const decision = decideUnsubscribe(open);
        if (decision === 'not-found' || !open) throw new NotFoundError('no subscription to this blog');
        if (decision === 'locked') {
          throw new FailedPreconditionError(
            'the subscription is PENDING: wait until it is ACTIVE or REJECTED',
            {
              reason: 'SUBSCRIPTION_PENDING',
            },
          );
        }
        await transition(tx, open.subscriptionId, 'ACTIVE', 'CANCELLED');
        await removeBlogFromFeed(tx, pair.subscriberId, pair.blogId);
        await outbox.add(tx, subscriptionCancelled(open, true, randomUUID()));
      });
      return {};
    },

    async listSubscriptions(request) {
      const { subscriberId } = validate(readerRequest, request);
      const items: Subscription[] = await listOpen(store, subscriberId);
      return { items: items.map(toProtoSubscription) };
    },

    async getFeed(request) {
      const { subscriberId, limit, cursor } = validate(feedRequest, request);
      const after = cursor ? decodeCursor(cursor) : undefined;
      const rows = await feedPage(store, subscriberId, limit + 1, after);
      const page = pageOf(rows, limit, (row) => row);
      return { items: page.items.map(toPostSummary), nextCursor: page.next };
    },

    streamFeed(request, ctx) {
      const { subscriberId, after } = validate(streamFeedRequest, request);
      return followFeed(store, tail, subscriberId, after || tail.position, ctx.signal);
    },
  };
}

/**
 * followFeed yields the reader's feed rows numbered above `from`, oldest first, then every row that arrives, until
 * the stream is aborted (the caller left, or the server is draining). Rows are read from the table each time the
 * tail says the reader's feed grew, after the last number sent: nothing is buffered per stream, and a slow reader
 * only delays its own next read (backpressure), never loses a row.
 */
async function* followFeed(
  db: Queryable,
  tail: FeedTail,
  subscriberId: string,
  from: string,
  signal: AbortSignal,
): AsyncGenerator<subscribe.StreamFeedResponse> {
  let last = from;
  let grown = true;
  let wake = (): void => undefined;
  const unwatch = tail.watch(subscriberId, () => {
    grown = true;
    wake();
  });
  try {
    for (;;) {
      if (!grown) await woken(signal, (resolve) => (wake = resolve));
      grown = false;
      for (;;) {
        const rows = await feedSince(db, subscriberId, last, FEED_STREAM_BATCH);
        for (const row of rows) {
          last = row.seq;
          yield { eventId: row.seq, post: toPostSummary(row) };
        }
        if (rows.length < FEED_STREAM_BATCH) break;
      }
    }
  } finally {
    unwatch();
  }
}

/** woken resolves when the function given to `register` is called, or rejects when the signal aborts. */
function woken(signal: AbortSignal, register: (resolve: () => void) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    register(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
  });
}

/** toPostSummary maps a feed row to the API's post without content (every feed post is PUBLISHED). */
function toPostSummary(item: FeedItem): post.PostSummary {
  return {
    postId: item.postId,
    blogId: item.blogId,
    authorId: item.authorId,
    title: item.title,
    tags: item.tags,
    status: post.PostStatus.POST_STATUS_PUBLISHED,
    createdAt: item.createdAt.toISOString(),
    updatedAt: item.updatedAt.toISOString(),
  };
}
