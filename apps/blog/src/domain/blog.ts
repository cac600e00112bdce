// The blog's rules as plain functions: who may change a blog, which posts and subscriptions a blog accepts, and
// when the deletion saga may remove it. No I/O here: the handlers load state, ask these, and write the outcome.
import { FailedPreconditionError, NotFoundError, PermissionDeniedError } from '@blog/framework';

/** BlogStatus is a blog's lifecycle; DELETING is the deletion saga's semantic lock. */
export type BlogStatus = 'ACTIVE' | 'DELETING' | 'DELETED';

/** Blog is a blog as stored. */
export interface Blog {
  blogId: string;
  ownerId: string;
  slug: string;
  title: string;
  description: string;
  status: BlogStatus;
  postCount: number;
  subscriberCount: number;
  createdAt: Date;
}

/** MAX_TITLE_CHARS bounds a blog title (in characters, i.e. code points). */
export const MAX_TITLE_CHARS = 100;

/** defaultTitle is the title a new account's blog gets: "<nickname>'s blog". */
export function defaultTitle(nickname: string): string {
  return [...`${nickname}'s blog`].slice(0, MAX_TITLE_CHARS).join('');
}

/** isVisible tells whether reads return the blog (a DELETED blog is NOT_FOUND, a DELETING one is still shown). */
export function isVisible(blog: Blog | undefined): blog is Blog {
  return blog !== undefined && blog.status !== 'DELETED';
}

/** assertUpdatable throws the error UpdateBlog answers when `actorId` may not change the blog now. */
export function assertUpdatable(blog: Blog | undefined, actorId: string): asserts blog is Blog {
  if (!isVisible(blog)) throw new NotFoundError('blog not found');
  if (blog.ownerId !== actorId) throw new PermissionDeniedError('only the owner may change the blog');
  if (blog.status !== 'ACTIVE') {
    throw new FailedPreconditionError('the blog is being deleted', { reason: 'BLOG_NOT_ACTIVE' });
  }
}

/** PostRejectionReason is why a blog refuses a submitted post. */
export type PostRejectionReason = 'BLOG_NOT_FOUND' | 'BLOG_NOT_ACTIVE' | 'NOT_OWNER';

/** SubscriptionRejectionReason is why a blog refuses a subscription. */
export type SubscriptionRejectionReason = 'BLOG_NOT_FOUND' | 'BLOG_NOT_ACTIVE' | 'SELF_SUBSCRIPTION';

/** Verdict is a saga step's answer: accepted, or rejected with a reason. */
export type Verdict<R extends string> = { accepted: true } | { accepted: false; reason: R };

/** judgePost decides the publish saga's blog step: the blog exists, is ACTIVE, and the author owns it. */
export function judgePost(blog: Blog | undefined, authorId: string): Verdict<PostRejectionReason> {
  if (!isVisible(blog)) return { accepted: false, reason: 'BLOG_NOT_FOUND' };
  if (blog.status !== 'ACTIVE') return { accepted: false, reason: 'BLOG_NOT_ACTIVE' };
  if (blog.ownerId !== authorId) return { accepted: false, reason: 'NOT_OWNER' };
  return { accepted: true };
}

/** judgeSubscription decides the subscribe saga's blog step: the blog exists, is ACTIVE, and is not the reader's own. */
export function judgeSubscription(
  blog: Blog | undefined,
  subscriberId: string,
): Verdict<SubscriptionRejectionReason> {
  if (!isVisible(blog)) return { accepted: false, reason: 'BLOG_NOT_FOUND' };
  if (blog.status !== 'ACTIVE') return { accepted: false, reason: 'BLOG_NOT_ACTIVE' };
  if (blog.ownerId === subscriberId) return { accepted: false, reason: 'SELF_SUBSCRIPTION' };
  return { accepted: true };
}

/** DeletionState is the deletion saga's fan-in for one blog: which participant reports are in. */
export interface DeletionState {
  blogId: string;
  ownerId: string;
  sagaId: string | null;
  postsDeletedAt: Date | null;
  subscriptionsCancelledAt: Date | null;
}

/** DeletionReport names a participant report the blog waits for before it is deleted. */
export type DeletionReport = 'posts' | 'subscriptions';

/** isDeletionComplete tells whether every report is in, so the blog may be deleted. */
export function isDeletionComplete(state: DeletionState): boolean {
  return state.postsDeletedAt !== null && state.subscriptionsCancelledAt !== null;
}
