// The post's rules as plain functions: who sees a post, who may change it and when (PENDING is the publish saga's
// semantic lock), and what an update really changes. No I/O here.
import { FailedPreconditionError, NotFoundError, PermissionDeniedError } from '@blog/framework';

/** PostStatus is a post's lifecycle; PENDING is the publish saga's semantic lock. */
export type PostStatus = 'PENDING' | 'PUBLISHED' | 'REJECTED' | 'DELETED';

/** Post is a post as stored. */
export interface Post {
  postId: string;
  blogId: string;
  authorId: string;
  title: string;
  content: string;
  tags: string[];
  status: PostStatus;
  createdAt: Date;
  updatedAt: Date;
  publishedAt: Date | null;
}

/** PostEdit is what an update asks for; an absent field is left as it is. */
export interface PostEdit {
  title?: string;
  content?: string;
  tags?: string[];
}

/**
 * isVisibleTo tells whether `viewerId` (empty for anonymous readers) may see the post: a PUBLISHED post everyone,
 * a PENDING or REJECTED one only its author, a DELETED one nobody.
 */
export function isVisibleTo(post: Post | undefined, viewerId: string): post is Post {
  if (!post || post.status === 'DELETED') return false;
  if (post.status === 'PUBLISHED') return true;
  return viewerId !== '' && post.authorId === viewerId;
}

/**
 * assertChangeable throws what UpdatePost and DeletePost answer when `actorId` may not change the post now. A post
 * the actor cannot see is NOT_FOUND (as GetPost says), so a PENDING post's existence leaks to nobody.
 */
export function assertChangeable(post: Post | undefined, actorId: string): asserts post is Post {
  if (!isVisibleTo(post, actorId)) throw new NotFoundError('post not found');
  if (post.authorId !== actorId) throw new PermissionDeniedError('only the author may change the post');
  if (post.status === 'PENDING') {
    throw new FailedPreconditionError('the post is waiting for its blog to accept it', {
      reason: 'POST_PENDING',
    });
  }
}

/** normalizeTags drops repeated tags, keeping the first occurrence's place. */
export function normalizeTags(tags: readonly string[]): string[] {
  return [...new Set(tags)];
}

/** changesOf returns the fields of `edit` that differ from the post (empty when the update changes nothing). */
export function changesOf(post: Post, edit: PostEdit): PostEdit {
  const changes: PostEdit = {};
  if (edit.title !== undefined && edit.title !== post.title) changes.title = edit.title;
  if (edit.content !== undefined && edit.content !== post.content) changes.content = edit.content;
  if (edit.tags !== undefined) {
    const tags = normalizeTags(edit.tags);
    if (tags.length !== post.tags.length || tags.some((tag, i) => tag !== post.tags[i])) changes.tags = tags;
  }
  return changes;
}

/** hasChanges tells whether an edit changes anything. */
export function hasChanges(changes: PostEdit): boolean {
  return Object.keys(changes).length > 0;
}
