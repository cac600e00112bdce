// Request rules of the subscribe RPCs, as zod schemas whose issue paths are the request's field names, so
// INVALID_ARGUMENT names the field the caller has to fix.
import { z } from 'zod';

const uuid = z.uuid({ error: 'must be a UUID' });

/** DEFAULT_FEED_LIMIT is the page size when the request gives none (limit 0, proto3's "unset"). */
export const DEFAULT_FEED_LIMIT = 20;

/** pairRequest validates Subscribe, GetSubscription and Unsubscribe. */
export const pairRequest = z.object({ subscriberId: uuid, blogId: uuid });

/** readerRequest validates ListSubscriptions. */
export const readerRequest = z.object({ subscriberId: uuid });

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

/** streamFeedRequest validates StreamFeed: `after` is empty or an event id this API sent (SSE's Last-Event-ID). */
export const streamFeedRequest = z.object({
  subscriberId: uuid,
  after: z.string().regex(/^(|0|[1-9][0-9]{0,17})$/, { error: 'is not an event id sent by this API' }),
});
