// Every SQL statement on the feed read model (feed_items): one row per reader and published post.
import type { Queryable } from '@blog/framework';
import type { FeedPosition } from '../domain/feed-cursor';

/** PublishedPost is what a feed row copies from PostPublished. */
export interface PublishedPost {
  readonly postId: string;
  readonly blogId: string;
  readonly authorId: string;
  readonly title: string;
  readonly tags: readonly string[];
  readonly createdAt: string;
  readonly publishedAt: string;
}

/** FeedItem is one feed row as read, with its position for the cursor. */
export interface FeedItem {
  readonly postId: string;
  readonly blogId: string;
  readonly authorId: string;
  readonly title: string;
  readonly tags: string[];
  readonly createdAt: Date;
  readonly updatedAt: Date;
  /** publishedAt as PostgreSQL prints it in UTC, to the microsecond (the cursor's timestamp). */
  readonly publishedAt: string;
}

/** FEED_SEQUENCE_LOCK is the transaction advisory lock key every insert into feed_items takes first. */
export const FEED_SEQUENCE_LOCK = 0x5feed;

/**
 * fanOut adds the post to the feed of every reader with an ACTIVE subscription to its blog, now. The subscriptions
 * are locked (shared, in id order) so an Unsubscribe or a deletion running at the same time either waits for this
 * insert and then removes its rows, or commits first and its reader is no longer selected here.
 */
export async function fanOut(db: Queryable, post: PublishedPost): Promise<number> {
  // Rows are numbered (seq) in commit order: the inserts of concurrent fan-outs queue on this transaction lock, so
  // a stream that has seen row n never finds an older-numbered row committing later (see StreamFeed).
  await db.query('select pg_advisory_xact_lock($1)', [FEED_SEQUENCE_LOCK]);
  const { rowCount } = await db.query(
    `insert into feed_items (subscriber_id, post_id, blog_id, author_id, title, tags, created_at, published_at, updated_at)
     select s.subscriber_id, $1, $2, $3, $4, $5, $6, $7, $7
       from (select subscriber_id from subscriptions
              where blog_id = $2 and status = 'ACTIVE'
              order by subscription_id for share) as s
     on conflict do nothing`,
    [post.postId, post.blogId, post.authorId, post.title, post.tags, post.createdAt, post.publishedAt],
  );
  return rowCount ?? 0;
}

/** refresh updates the title and tags of a post's feed copies, unless they already hold a newer version. */
export async function refresh(
  db: Queryable,
  update: { postId: string; title: string; tags: readonly string[]; updatedAt: string },
): Promise<number> {
  const { rowCount } = await db.query(
    `update feed_items set title = $2, tags = $3, updated_at = $4
      where post_id = $1 and updated_at <= $4`,
    [update.postId, update.title, update.tags, update.updatedAt],
  );
  return rowCount ?? 0;
}

/** removePost removes a post from every feed. */
export async function removePost(db: Queryable, postId: string): Promise<number> {
  const { rowCount } = await db.query('delete from feed_items where post_id = $1', [postId]);
  return rowCount ?? 0;
}

/** removeBlogFromFeed removes a blog's posts from one reader's feed (that reader unsubscribed). */
export async function removeBlogFromFeed(
  db: Queryable,
  subscriberId: string,
  blogId: string,
): Promise<number> {
  const { rowCount } = await db.query('delete from feed_items where blog_id = $1 and subscriber_id = $2', [
    blogId,
    subscriberId,
  ]);
  return rowCount ?? 0;
}

/** removeFeed removes a reader's whole feed. */
export async function removeFeed(db: Queryable, subscriberId: string): Promise<number> {
  const { rowCount } = await db.query('delete from feed_items where subscriber_id = $1', [subscriberId]);
  return rowCount ?? 0;
}

/** removeBlog removes a blog's posts from every feed. */
export async function removeBlog(db: Queryable, blogId: string): Promise<number> {
  const { rowCount } = await db.query('delete from feed_items where blog_id = $1', [blogId]);
  return rowCount ?? 0;
}

/** feedPage reads up to `limit` items of a reader's feed after `after`, newest first (published_at, post_id desc). */
export async function feedPage(
  db: Queryable,
  subscriberId: string,
  limit: number,
  after?: FeedPosition,
): Promise<FeedItem[]> {
  const { rows } = await db.query<FeedItem>(
    `select post_id as "postId", blog_id as "blogId", author_id as "authorId", title, tags,
            created_at as "createdAt", updated_at as "updatedAt",
            to_char(published_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as "publishedAt"
       from feed_items
      where subscriber_id = $1
        and ($2::timestamptz is null or (published_at, post_id) < ($2::timestamptz, $3::uuid))
      order by published_at desc, post_id desc
      limit $4`,
    [subscriberId, after?.publishedAt ?? null, after?.postId ?? null, limit],
  );
  return rows;
}

/** FeedEntry is a feed row with its sequence number (StreamFeed's event id). */
export interface FeedEntry extends FeedItem {
  /** seq as a decimal string (bigint). */
  readonly seq: string;
}

/** feedSince reads up to `limit` rows of a reader's feed numbered above `afterSeq`, oldest first. */
export async function feedSince(
  db: Queryable,
  subscriberId: string,
  afterSeq: string,
  limit: number,
): Promise<FeedEntry[]> {
  const { rows } = await db.query<FeedEntry>(
    `select seq::text as seq, post_id as "postId", blog_id as "blogId", author_id as "authorId", title, tags,
            created_at as "createdAt", updated_at as "updatedAt",
            to_char(published_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as "publishedAt"
       from feed_items
      where subscriber_id = $1 and seq > $2::bigint
      order by seq
      limit $3`,
    [subscriberId, afterSeq, limit],
  );
  return rows;
}

/** FeedArrival says that a reader's feed has rows up to `seq`. */
export interface FeedArrival {
  readonly subscriberId: string;
  readonly seq: string;
}

/** arrivalsSince lists, per reader, the highest row numbered above `afterSeq` (up to `limit` rows scanned). */
export async function arrivalsSince(db: Queryable, afterSeq: string, limit: number): Promise<FeedArrival[]> {
  const { rows } = await db.query<FeedArrival>(
    `select subscriber_id as "subscriberId", max(seq)::text as seq
       from (select subscriber_id, seq from feed_items where seq > $1::bigint order by seq limit $2) as recent
      group by subscriber_id`,
    [afterSeq, limit],
  );
  return rows;
}

/** lastSeq is the highest row number now ('0' for an empty feed table). */
export async function lastSeq(db: Queryable): Promise<string> {
  const { rows } = await db.query<{ seq: string }>(
    'select coalesce(max(seq), 0)::text as seq from feed_items',
  );
  return rows[0]?.seq ?? '0';
}
