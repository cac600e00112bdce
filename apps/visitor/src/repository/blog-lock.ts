// One advisory lock per blog, in a key space of its own (the two-int form, first int fixed), so a batch of views
// and the deletion of the blog's statistics never interleave: batches share the lock, the deletion takes it alone.
// Without it, a batch that checked the tombstone just before a concurrent deletion committed would insert rows the
// deletion could not see, and the blog's statistics would come back.
import type { Transaction } from '@blog/framework';

/** BLOG_LOCK_SPACE is the first key of the two-int advisory lock ("VSTB" in ASCII): visitor's blog locks. */
export const BLOG_LOCK_SPACE = 0x56535442;

/** lockBlogsShared takes the shared lock of each blog until the transaction ends. */
export async function lockBlogsShared(tx: Transaction, blogIds: readonly string[]): Promise<void> {
  if (blogIds.length === 0) return;
  await tx.query(
    `select pg_advisory_xact_lock_shared($1::int, hashtext(b::text))
       from (select distinct b from unnest($2::uuid[]) as b order by b) as blogs`,
    [BLOG_LOCK_SPACE, blogIds],
  );
}

/** lockBlogExclusive takes the blog's lock alone until the transaction ends (waits for running batches). */
export async function lockBlogExclusive(tx: Transaction, blogId: string): Promise<void> {
  await tx.query(`select pg_advisory_xact_lock($1::int, hashtext($2::text))`, [BLOG_LOCK_SPACE, blogId]);
}
