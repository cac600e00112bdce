// All SQL on posts. Functions take the transaction (or the store) they run in; ids that are not UUIDs find nothing
// instead of reaching a uuid column, since they come from events and requests alike.
import { isUuid, type Queryable } from '@blog/framework';
import type { CursorKey } from '../domain/cursor';
import type { Post, PostEdit, PostStatus } from '../domain/post';

interface PostRow {
  post_id: string;
  blog_id: string;
  author_id: string;
  title: string;
  content: string;
  tags: string[];
  status: PostStatus;
  created_at: Date;
  updated_at: Date;
  published_at: Date | null;
}

const COLUMNS =
  'post_id, blog_id, author_id, title, content, tags, status, created_at, updated_at, published_at';

// created_at as text at full precision in UTC: the cursor carries it, since a JS Date keeps only milliseconds.
const CURSOR_TIME = `to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

function toPost(row: PostRow): Post {
  return {
    postId: row.post_id,
    blogId: row.blog_id,
    authorId: row.author_id,
    title: row.title,
    content: row.content,
    tags: row.tags,
    status: row.status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    publishedAt: row.published_at,
  };
}

async function one(db: Queryable, sql: string, values: unknown[]): Promise<Post | undefined> {
  const { rows } = await db.query<PostRow>(sql, values);
  return rows[0] && toPost(rows[0]);
}

/** NewPost is what submitting a post stores. */
export type NewPost = Pick<Post, 'postId' | 'blogId' | 'authorId' | 'title' | 'content' | 'tags'>;

/** insertPost stores a PENDING post. */
export async function insertPost(db: Queryable, post: NewPost): Promise<Post> {
  const inserted = await one(
    db,
    `insert into post (post_id, blog_id, author_id, title, content, tags, status)
     values ($1, $2, $3, $4, $5, $6, 'PENDING') returning ${COLUMNS}`,
    [post.postId, post.blogId, post.authorId, post.title, post.content, post.tags],
  );
  if (!inserted) throw new Error('insert returned no row');
  return inserted;
}

/** findPost returns a post by id; `lock` takes its row lock until the transaction ends. */
export async function findPost(db: Queryable, postId: string, lock = false): Promise<Post | undefined> {
  if (!isUuid(postId)) return undefined;
  return one(db, `select ${COLUMNS} from post where post_id = $1${lock ? ' for update' : ''}`, [postId]);
}

/** PageEntry is a listed post with its position, from which the next page's cursor is made. */
export interface PageEntry {
  post: Post;
  key: CursorKey;
}

/** listPublished returns up to `limit` PUBLISHED posts of a blog, newest first, strictly after `after`. */
export async function listPublished(
  db: Queryable,
  blogId: string,
  limit: number,
  after?: CursorKey,
): Promise<PageEntry[]> {
  const { rows } = await db.query<PostRow & { cursor_time: string }>(
    `select ${COLUMNS}, ${CURSOR_TIME} as cursor_time from post
     where blog_id = $1 and status = 'PUBLISHED'
       and ($2::timestamptz is null or (created_at, post_id) < ($2::timestamptz, $3::uuid))
     order by created_at desc, post_id desc
     limit $4`,
    [blogId, after?.createdAt ?? null, after?.postId ?? null, limit],
  );
  return rows.map((row) => ({ post: toPost(row), key: { createdAt: row.cursor_time, postId: row.post_id } }));
}

/** updatePost writes the changed fields and returns the post as it is now. */
export async function updatePost(db: Queryable, postId: string, changes: PostEdit): Promise<Post> {
  const updated = await one(
    db,
    `update post set title = coalesce($2, title), content = coalesce($3, content),
       tags = coalesce($4::text[], tags), updated_at = now()
     where post_id = $1 returning ${COLUMNS}`,
    [postId, changes.title ?? null, changes.content ?? null, changes.tags ?? null],
  );
  if (!updated) throw new Error(`post ${postId} vanished during its update`);
  return updated;
}

/** deletePost removes a post; false when it was already gone. */
export async function deletePost(db: Queryable, postId: string): Promise<boolean> {
  if (!isUuid(postId)) return false;
  const { rowCount } = await db.query('delete from post where post_id = $1', [postId]);
  return rowCount === 1;
}

/** publishPost moves a PENDING post to PUBLISHED; undefined when it is not PENDING (or gone). */
export async function publishPost(db: Queryable, postId: string): Promise<Post | undefined> {
  if (!isUuid(postId)) return undefined;
  return one(
    db,
    `update post set status = 'PUBLISHED', published_at = now()
     where post_id = $1 and status = 'PENDING' returning ${COLUMNS}`,
    [postId],
  );
}

/** rejectPost moves a PENDING post to REJECTED with the reason; false when it is not PENDING (or gone). */
export async function rejectPost(db: Queryable, postId: string, reason: string): Promise<boolean> {
  if (!isUuid(postId)) return false;
  const { rowCount } = await db.query(
    `update post set status = 'REJECTED', rejection_reason = $2 where post_id = $1 and status = 'PENDING'`,
    [postId, reason],
  );
  return rowCount === 1;
}

/** deleteBlogPosts removes every post of a blog, whatever its status, and returns how many there were. */
export async function deleteBlogPosts(db: Queryable, blogId: string): Promise<number> {
  if (!isUuid(blogId)) return 0;
  const { rowCount } = await db.query('delete from post where blog_id = $1', [blogId]);
  return rowCount ?? 0;
}
