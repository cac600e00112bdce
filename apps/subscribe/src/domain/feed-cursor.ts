// The feed's keyset cursor: the position (published_at, post_id) of the last item of a page, as opaque base64url
// JSON. The timestamp travels as PostgreSQL printed it (microseconds), so no precision is lost between pages.
import { InvalidArgumentError } from '@blog/framework';
import { z } from 'zod';

/** FeedPosition is where a page ends: items strictly older (published_at, then post_id, descending) come next. */
export interface FeedPosition {
  /** publishedAt is an ISO-8601 UTC timestamp with up to microseconds. */
  readonly publishedAt: string;
  readonly postId: string;
}

const wire = z.object({
  t: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/),
  id: z.uuid(),
});

/** encodeCursor turns a position into an opaque cursor. */
export function encodeCursor(position: FeedPosition): string {
  return Buffer.from(JSON.stringify({ t: position.publishedAt, id: position.postId })).toString('base64url');
}

/** decodeCursor reads a cursor back; anything that is not one of ours is INVALID_ARGUMENT naming `cursor`. */
export function decodeCursor(cursor: string): FeedPosition {
  const invalid = () =>
    new InvalidArgumentError('invalid cursor', {
      violations: [{ field: 'cursor', message: 'is not a cursor returned by this API' }],
    });
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const result = wire.safeParse(parsed);
  if (!result.success || Number.isNaN(Date.parse(result.data.t))) throw invalid();
  return { publishedAt: result.data.t, postId: result.data.id };
}

/** Page is one page of a keyset listing. */
export interface Page<T> {
  readonly items: T[];
  /** next is the cursor of the following page, or '' on the last page. */
  readonly next: string;
}

/** pageOf cuts `limit` items from rows fetched with limit + 1; the extra row only says that more exist. */
export function pageOf<T>(rows: readonly T[], limit: number, positionOf: (row: T) => FeedPosition): Page<T> {
  const items = rows.slice(0, limit);
  const more = rows.length > limit && items.length > 0;
  return { items, next: more ? encodeCursor(positionOf(items[items.length - 1])) : '' };
}
