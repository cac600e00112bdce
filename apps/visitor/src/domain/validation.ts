// Request rules of the visitor RPCs, as zod schemas whose issue paths are the request's field names, so
// INVALID_ARGUMENT names the field the caller has to fix.
import { z } from 'zod';

const uuid = z.uuid({ error: 'must be a UUID' });

/** recordViewRequest validates RecordView: ids are UUIDs; the viewer is a user id or a client-address hash. */
export const recordViewRequest = z.object({
  viewId: uuid,
  postId: uuid,
  blogId: uuid,
  viewerId: z
    .string()
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(200, { error: 'must be at most 200 characters' }),
});

/** postStatsRequest validates GetPostStats. */
export const postStatsRequest = z.object({ postId: uuid });

/** blogStatsRequest validates GetBlogStats. */
export const blogStatsRequest = z.object({ blogId: uuid });
