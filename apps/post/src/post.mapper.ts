// Stored posts to the gRPC contract: plain status strings become the proto enum, times ISO strings.
import { post as api } from '@blog/proto';
import type { Post, PostStatus } from './domain/post';

const STATUS: Record<PostStatus, api.PostStatus> = {
  PENDING: api.PostStatus.POST_STATUS_PENDING,
  PUBLISHED: api.PostStatus.POST_STATUS_PUBLISHED,
  REJECTED: api.PostStatus.POST_STATUS_REJECTED,
  DELETED: api.PostStatus.POST_STATUS_DELETED,
};

/** toApiSummary renders a post without its content, as lists show it. */
export function toApiSummary(post: Post): api.PostSummary {
  return {
    postId: post.postId,
    blogId: post.blogId,
    authorId: post.authorId,
    title: post.title,
    tags: post.tags,
    status: STATUS[post.status],
    createdAt: post.createdAt.toISOString(),
    updatedAt: post.updatedAt.toISOString(),
  };
}

/** toApiPost renders a whole post. */
export function toApiPost(post: Post): api.Post {
  const { postId, blogId, authorId, title, tags, status, createdAt, updatedAt } = toApiSummary(post);
  return { postId, blogId, authorId, title, content: post.content, tags, status, createdAt, updatedAt };
}
