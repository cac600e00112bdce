// All SQL on blogs and their counters. Functions take the transaction (or the store) they run in; ids that are not
// UUIDs find nothing instead of reaching a uuid column, since they come from events and requests alike.
import { isUuid, type Queryable } from '@blog/framework';
import type { Blog, BlogStatus } from '../domain/blog';
import type { BlogChanges } from '../domain/validation';

interface BlogRow {
  blog_id: string;
  owner_id: string;
  slug: string;
  title: string;
  description: string;
  status: BlogStatus;
  post_count: string;
  subscriber_count: string;
  created_at: Date;
}

const COLUMNS =
  'blog_id, owner_id, slug, title, description, status, post_count, subscriber_count, created_at';

function toBlog(row: BlogRow): Blog {
  return {
    blogId: row.blog_id,
    ownerId: row.owner_id,
    slug: row.slug,
    title: row.title,
    description: row.description,
    status: row.status,
    // bigint arrives as text; counters stay far below 2^53.
    postCount: Number(row.post_count),
    subscriberCount: Number(row.subscriber_count),
    createdAt: row.created_at,
  };
}

async function one(db: Queryable, sql: string, values: unknown[]): Promise<Blog | undefined> {
  const { rows } = await db.query<BlogRow>(sql, values);
  return rows[0] && toBlog(rows[0]);
}

/** NewBlog is what creating a blog needs. */
export interface NewBlog {
  blogId: string;
  ownerId: string;
  slug: string;
  title: string;
}

/** insertBlog inserts an ACTIVE blog; undefined when the slug is taken. A second blog for one owner throws. */
export function insertBlog(db: Queryable, blog: NewBlog): Promise<Blog | undefined> {
  return one(
    db,
    `insert into blog (blog_id, owner_id, slug, title, status) values ($1, $2, $3, $4, 'ACTIVE')
     on conflict (slug) do nothing returning ${COLUMNS}`,
    [blog.blogId, blog.ownerId, blog.slug, blog.title],
  );
}

/** findBlog returns a blog by id; `lock` takes its row lock until the transaction ends. */
export async function findBlog(db: Queryable, blogId: string, lock = false): Promise<Blog | undefined> {
  if (!isUuid(blogId)) return undefined;
  return one(db, `select ${COLUMNS} from blog where blog_id = $1${lock ? ' for update' : ''}`, [blogId]);
}

/** findBlogBySlug returns a blog by slug. */
export function findBlogBySlug(db: Queryable, slug: string): Promise<Blog | undefined> {
  return one(db, `select ${COLUMNS} from blog where slug = $1`, [slug]);
}

/** findBlogByOwner returns a user's blog; `lock` takes its row lock until the transaction ends. */
export async function findBlogByOwner(
  db: Queryable,
  ownerId: string,
  lock = false,
): Promise<Blog | undefined> {
  if (!isUuid(ownerId)) return undefined;
  return one(db, `select ${COLUMNS} from blog where owner_id = $1${lock ? ' for update' : ''}`, [ownerId]);
}

/** updateBlog changes the given fields and returns the blog as it is now. */
export async function updateBlog(db: Queryable, blogId: string, changes: BlogChanges): Promise<Blog> {
  const blog = await one(
    db,
    `update blog set title = coalesce($2, title), description = coalesce($3, description)
     where blog_id = $1 returning ${COLUMNS}`,
    [blogId, changes.title ?? null, changes.description ?? null],
  );
  if (!blog) throw new Error(`blog ${blogId} vanished during its update`);
  return blog;
}

/** setStatus moves a blog from one status to another; false when it was not in `from`. */
export async function setStatus(
  db: Queryable,
  blogId: string,
  from: BlogStatus,
  to: BlogStatus,
): Promise<boolean> {
  const { rowCount } = await db.query('update blog set status = $3 where blog_id = $1 and status = $2', [
    blogId,
    from,
    to,
  ]);
  return rowCount === 1;
}

/** deleteBlog removes a blog with its ledgers and deletion state; false when it was already gone. */
export async function deleteBlog(db: Queryable, blogId: string): Promise<boolean> {
  const { rowCount } = await db.query('delete from blog where blog_id = $1', [blogId]);
  return rowCount === 1;
}

/**
 * countPost records that the blog's post counter holds a post and adds one to it; false (and no change) when it
 * already held it, so a repeated PostSubmitted never counts twice.
 */
export async function countPost(db: Queryable, blogId: string, postId: string): Promise<boolean> {
  if (!isUuid(postId)) return false;
  const { rowCount } = await db.query(
    'insert into counted_post (post_id, blog_id) values ($1, $2) on conflict (post_id) do nothing',
    [postId, blogId],
  );
  if (rowCount !== 1) return false;
  await db.query('update blog set post_count = post_count + 1 where blog_id = $1', [blogId]);
  return true;
}

/**
 * uncountPost takes a counted post out of its blog's counter (minus one); false when it was not counted. The blog
 * row is locked first, the order every blog-wide change (deletion included) takes, so the two cannot deadlock.
 */
export async function uncountPost(db: Queryable, postId: string): Promise<boolean> {
  if (!isUuid(postId)) return false;
  const { rows } = await db.query<{ blog_id: string }>(
    `select b.blog_id from counted_post c join blog b on b.blog_id = c.blog_id where c.post_id = $1
     for update of b`,
    [postId],
  );
  if (!rows[0]) return false;
  const { rowCount } = await db.query('delete from counted_post where post_id = $1', [postId]);
  if (rowCount !== 1) return false;
  await db.query('update blog set post_count = post_count - 1 where blog_id = $1', [rows[0].blog_id]);
  return true;
}

/** isPostCounted tells whether the blog's counter already holds the post. */
export async function isPostCounted(db: Queryable, postId: string): Promise<boolean> {
  if (!isUuid(postId)) return false;
  const { rows } = await db.query('select 1 from counted_post where post_id = $1', [postId]);
  return rows.length > 0;
}

/** countSubscription records an accepted subscription and adds one to the subscriber counter; false if already counted. */
export async function countSubscription(
  db: Queryable,
  blogId: string,
  subscriptionId: string,
  subscriberId: string,
): Promise<boolean> {
  if (!isUuid(subscriptionId) || !isUuid(subscriberId)) return false;
  const { rowCount } = await db.query(
    `insert into counted_subscription (subscription_id, blog_id, subscriber_id) values ($1, $2, $3)
     on conflict (subscription_id) do nothing`,
    [subscriptionId, blogId, subscriberId],
  );
  if (rowCount !== 1) return false;
  await db.query('update blog set subscriber_count = subscriber_count + 1 where blog_id = $1', [blogId]);
  return true;
}

/** uncountSubscription takes a counted subscription out of its blog's counter (minus one); false if it was not counted. */
export async function uncountSubscription(db: Queryable, subscriptionId: string): Promise<boolean> {
  if (!isUuid(subscriptionId)) return false;
  // Blog row first, as in uncountPost.
  const { rows } = await db.query<{ blog_id: string }>(
    `select b.blog_id from counted_subscription c join blog b on b.blog_id = c.blog_id
     where c.subscription_id = $1 for update of b`,
    [subscriptionId],
  );
  if (!rows[0]) return false;
  const { rowCount } = await db.query('delete from counted_subscription where subscription_id = $1', [
    subscriptionId,
  ]);
  if (rowCount !== 1) return false;
  await db.query('update blog set subscriber_count = subscriber_count - 1 where blog_id = $1', [
    rows[0].blog_id,
  ]);
  return true;
}

/** isSubscriptionCounted tells whether the subscriber counter already holds the subscription. */
export async function isSubscriptionCounted(db: Queryable, subscriptionId: string): Promise<boolean> {
  if (!isUuid(subscriptionId)) return false;
  const { rows } = await db.query('select 1 from counted_subscription where subscription_id = $1', [
    subscriptionId,
  ]);
  return rows.length > 0;
}
