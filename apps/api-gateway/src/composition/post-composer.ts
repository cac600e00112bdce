// API composition of GET /v1/posts/{postId}: the post comes first (it decides visibility and names the author and the
// blog), then the author's profile and the blog are fetched in parallel. Either may fail or have its circuit open:
// the post is still answered, with that field null and `partial` set (the route adds X-Partial-Response: true).
import type { blog, post, user } from '@blog/proto';
import { toPostSummary } from '../schemas/posts';

/** Lookups are the two reads the composition needs. */
export interface Lookups {
  getUser(request: user.GetUserRequest): Promise<user.GetUserResponse>;
  getBlog(request: blog.GetBlogRequest): Promise<blog.GetBlogResponse>;
}

/** WarnLogger is the part of a logger the composition uses (a request's Fastify logger is one). */
export interface WarnLogger {
  warn(bindings: object, message: string): void;
}

/** ComposedPost is the REST post plus whether a part of it is missing. */
export interface ComposedPost {
  readonly body: ReturnType<typeof toPostSummary> & {
    content: string;
    author: { userId: string; nickname: string } | null;
    blog: { blogId: string; slug: string; title: string } | null;
  };
  readonly partial: boolean;
}

/** composePost adds the author and the blog to a post; failures degrade to null, they never fail the read. */
export async function composePost(
  value: post.Post,
  lookups: Lookups,
  logger: WarnLogger,
): Promise<ComposedPost> {
  const [author, owner] = await Promise.allSettled([
    lookups.getUser({ userId: value.authorId }),
    lookups.getBlog({ blogId: value.blogId }),
  ]);
  const profile = author.status === 'fulfilled' ? author.value.user : undefined;
  const found = owner.status === 'fulfilled' ? owner.value.blog : undefined;
  if (author.status === 'rejected')
    logger.warn({ err: author.reason, postId: value.postId }, 'post author lookup failed');
  if (owner.status === 'rejected')
    logger.warn({ err: owner.reason, postId: value.postId }, 'post blog lookup failed');
  return {
    body: {
      ...toPostSummary(value),
      content: value.content,
      author: profile ? { userId: profile.userId, nickname: profile.nickname } : null,
      blog: found ? { blogId: found.blogId, slug: found.slug, title: found.title } : null,
    },
    partial: !profile || !found,
  };
}
