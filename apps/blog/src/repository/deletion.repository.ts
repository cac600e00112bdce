// All SQL on the deletion saga's state: one row per blog being deleted, recording which participant reports are in.
// The row references the blog (on delete cascade), so deleting the blog removes it too.
import { isUuid, type Queryable } from '@blog/framework';
import type { DeletionReport, DeletionState } from '../domain/blog';

interface DeletionRow {
  blog_id: string;
  owner_id: string;
  saga_id: string | null;
  posts_deleted_at: Date | null;
  subscriptions_cancelled_at: Date | null;
}

const COLUMNS = 'blog_id, owner_id, saga_id, posts_deleted_at, subscriptions_cancelled_at';

// Column names per report, spliced into SQL from this fixed map only.
const REPORT_COLUMN: Record<DeletionReport, string> = {
  posts: 'posts_deleted_at',
  subscriptions: 'subscriptions_cancelled_at',
};

function toState(row: DeletionRow): DeletionState {
  return {
    blogId: row.blog_id,
    ownerId: row.owner_id,
    sagaId: row.saga_id,
    postsDeletedAt: row.posts_deleted_at,
    subscriptionsCancelledAt: row.subscriptions_cancelled_at,
  };
}

/** startDeletion records that the blog's deletion saga has started (once: a repeat changes nothing). */
export async function startDeletion(
  db: Queryable,
  blogId: string,
  ownerId: string,
  sagaId: string | undefined,
): Promise<void> {
  await db.query(
    `insert into blog_deletion (blog_id, owner_id, saga_id) values ($1, $2, $3)
     on conflict (blog_id) do nothing`,
    [blogId, ownerId, sagaId ?? null],
  );
}

/**
 * recordReport marks a participant's report (keeping the first time it came) and returns the state as it is now,
 * holding the row lock: of two reports processed at once, exactly one sees both in. Undefined when no deletion of
 * that blog is in progress (a late or stray report).
 */
export async function recordReport(
  db: Queryable,
  blogId: string,
  report: DeletionReport,
): Promise<DeletionState | undefined> {
  if (!isUuid(blogId)) return undefined;
  const column = REPORT_COLUMN[report];
  const { rows } = await db.query<DeletionRow>(
    `update blog_deletion set ${column} = coalesce(${column}, now()) where blog_id = $1 returning ${COLUMNS}`,
    [blogId],
  );
  return rows[0] && toState(rows[0]);
}

/** findDeletion returns the deletion state of a blog, if its deletion is in progress. */
export async function findDeletion(db: Queryable, blogId: string): Promise<DeletionState | undefined> {
  if (!isUuid(blogId)) return undefined;
  const { rows } = await db.query<DeletionRow>(`select ${COLUMNS} from blog_deletion where blog_id = $1`, [
    blogId,
  ]);
  return rows[0] && toState(rows[0]);
}
