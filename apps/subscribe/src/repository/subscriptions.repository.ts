// Every SQL statement on subscriptions and orphaned_subscriptions. State changes are conditional updates
// (`where status = 'PENDING'`), so concurrent saga steps cannot both win.
import type { Queryable } from '@blog/framework';
import type { RejectionReason, Subscription, SubscriptionStatus } from '../domain/subscription';

const COLUMNS = `subscription_id as "subscriptionId", subscriber_id as "subscriberId", blog_id as "blogId",
  status, reason, created_at as "createdAt", updated_at as "updatedAt"`;

/** NewSubscription is what Subscribe inserts. */
export interface NewSubscription {
  readonly subscriptionId: string;
  readonly subscriberId: string;
  readonly blogId: string;
}

/** findOpen returns the PENDING or ACTIVE subscription of a reader to a blog; `lock` holds it for the transaction. */
export async function findOpen(
  db: Queryable,
  subscriberId: string,
  blogId: string,
  options: { lock?: boolean } = {},
): Promise<Subscription | undefined> {
  const { rows } = await db.query<Subscription>(
    `select ${COLUMNS} from subscriptions
      where subscriber_id = $1 and blog_id = $2 and status in ('PENDING', 'ACTIVE')
      ${options.lock ? 'for update' : ''}`,
    [subscriberId, blogId],
  );
  return rows[0];
}

/** insertPending inserts a PENDING subscription; undefined when the reader already has an open one (a race lost). */
export async function insertPending(db: Queryable, sub: NewSubscription): Promise<Subscription | undefined> {
  const { rows } = await db.query<Subscription>(
    `insert into subscriptions (subscription_id, subscriber_id, blog_id, status)
     values ($1, $2, $3, 'PENDING')
     on conflict do nothing
     returning ${COLUMNS}`,
    [sub.subscriptionId, sub.subscriberId, sub.blogId],
  );
  return rows[0];
}

/** latest returns the newest subscription of a reader to a blog, whatever its status. */
export async function latest(
  db: Queryable,
  subscriberId: string,
  blogId: string,
): Promise<Subscription | undefined> {
  const { rows } = await db.query<Subscription>(
    `select ${COLUMNS} from subscriptions where subscriber_id = $1 and blog_id = $2
      order by created_at desc, subscription_id desc limit 1`,
    [subscriberId, blogId],
  );
  return rows[0];
}

/** listOpen returns a reader's PENDING and ACTIVE subscriptions, newest first. */
export async function listOpen(db: Queryable, subscriberId: string): Promise<Subscription[]> {
  const { rows } = await db.query<Subscription>(
    `select ${COLUMNS} from subscriptions where subscriber_id = $1 and status in ('PENDING', 'ACTIVE')
      order by created_at desc, subscription_id desc`,
    [subscriberId],
  );
  return rows;
}

/** byId returns a subscription by id. */
export async function byId(db: Queryable, subscriptionId: string): Promise<Subscription | undefined> {
  const { rows } = await db.query<Subscription>(
    `select ${COLUMNS} from subscriptions where subscription_id = $1`,
    [subscriptionId],
  );
  return rows[0];
}

/** transition moves a subscription from one status to another; undefined when it was not in `from` (or is gone). */
export async function transition(
  db: Queryable,
  subscriptionId: string,
  from: SubscriptionStatus,
  to: SubscriptionStatus,
  reason: RejectionReason | null = null,
): Promise<Subscription | undefined> {
  const { rows } = await db.query<Subscription>(
    `update subscriptions set status = $3, reason = $4, updated_at = now()
      where subscription_id = $1 and status = $2
      returning ${COLUMNS}`,
    [subscriptionId, from, to, reason],
  );
  return rows[0];
}

/** removeOfSubscriber deletes every subscription of a reader and returns them. */
export async function removeOfSubscriber(db: Queryable, subscriberId: string): Promise<Subscription[]> {
  const { rows } = await db.query<Subscription>(
    `delete from subscriptions where subscription_id in (
       select subscription_id from subscriptions where subscriber_id = $1 order by subscription_id for update)
     returning ${COLUMNS}`,
    [subscriberId],
  );
  return rows;
}

/** removeOfBlog deletes every subscription to a blog and returns them. */
export async function removeOfBlog(db: Queryable, blogId: string): Promise<Subscription[]> {
  // Locked in id order, the order the feed fan-out locks them in, so the two cannot deadlock.
  const { rows } = await db.query<Subscription>(
    `delete from subscriptions where subscription_id in (
       select subscription_id from subscriptions where blog_id = $1 order by subscription_id for update)
     returning ${COLUMNS}`,
    [blogId],
  );
  return rows;
}

/** rememberOrphans records PENDING subscriptions deleted before blog answered them. */
export async function rememberOrphans(db: Queryable, subscriptionIds: readonly string[]): Promise<void> {
  if (subscriptionIds.length === 0) return;
  await db.query(
    `insert into orphaned_subscriptions (subscription_id) select * from unnest($1::uuid[]) on conflict do nothing`,
    [subscriptionIds],
  );
}

/** takeOrphan forgets an orphaned subscription; true when it was one (blog's answer to it arrived). */
export async function takeOrphan(db: Queryable, subscriptionId: string): Promise<boolean> {
  const { rowCount } = await db.query('delete from orphaned_subscriptions where subscription_id = $1', [
    subscriptionId,
  ]);
  return rowCount === 1;
}
