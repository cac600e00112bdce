// Stored blogs to the gRPC contract: plain status strings become the proto enum, times ISO strings.
import { blog as api } from '@blog/proto';
import type { Blog, BlogStatus } from './domain/blog';

const STATUS: Record<BlogStatus, api.BlogStatus> = {
  ACTIVE: api.BlogStatus.BLOG_STATUS_ACTIVE,
  DELETING: api.BlogStatus.BLOG_STATUS_DELETING,
  DELETED: api.BlogStatus.BLOG_STATUS_DELETED,
};

/** toApiBlog renders a blog as blog.blog.v1.Blog. */
export function toApiBlog(blog: Blog): api.Blog {
  return {
    blogId: blog.blogId,
    ownerId: blog.ownerId,
    slug: blog.slug,
    title: blog.title,
    description: blog.description,
    status: STATUS[blog.status],
    postCount: blog.postCount,
    subscriberCount: blog.subscriberCount,
    createdAt: blog.createdAt.toISOString(),
  };
}
