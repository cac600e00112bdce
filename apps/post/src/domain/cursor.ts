// The opaque cursor of ListBlogPosts: the sort key (created_at, post_id) of the last post on a page, base64url
// encoded. created_at travels at PostgreSQL's full (microsecond) precision, so ties and near-ties page exactly.
import { InvalidArgumentError, isUuid } from '@blog/framework';

/** CursorKey is a position in the newest-first order: strictly after this key comes the next page. */
export interface CursorKey {
  /** createdAt is an ISO-8601 UTC time with microseconds, e.g. 2026-01-02T03:04:05.123456Z. */
  createdAt: string;
  postId: string;
}

const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

// A real calendar time (no February 31st), which PostgreSQL would otherwise refuse with an error of its own.
function isCalendarTime(time: string): boolean {
  const parsed = new Date(time);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 19) === time.slice(0, 19);
}

/** encodeCursor turns a sort key into the opaque cursor string. */
export function encodeCursor(key: CursorKey): string {
  return Buffer.from(`${key.createdAt}|${key.postId}`, 'utf8').toString('base64url');
}

/** decodeCursor reads a cursor back; anything that is not one is INVALID_ARGUMENT naming `cursor`. */
export function decodeCursor(cursor: string): CursorKey {
  const invalid = () =>
    new InvalidArgumentError('invalid cursor', {
      violations: [{ field: 'cursor', message: 'is not a cursor returned by this list' }],
    });
  if (!BASE64URL.test(cursor)) throw invalid();
  const [createdAt, postId, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (rest.length > 0 || !createdAt || !postId) throw invalid();
  if (!TIME.test(createdAt) || !isCalendarTime(createdAt) || !isUuid(postId)) throw invalid();
  return { createdAt, postId };
}
