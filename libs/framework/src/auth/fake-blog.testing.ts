// Test support for the auth specs (not exported from the package): a blog service that answers GetBlog and echoes
// the actor of UpdateBlog as the owner, so a test sees whether actor_id reached the handler.
import { blog } from '@blog/proto';
import { unimplemented } from '../server';

/** fakeBlog is the BlogService implementation the auth specs serve. */
export function fakeBlog() {
  return {
    ...unimplemented(blog.BlogServiceService),
    getBlog: (req: { blogId: string }) => ({
      blog: blog.Blog.fromPartial({ blogId: req.blogId, title: 't' }),
    }),
    updateBlog: (req: { blogId: string; actorId: string }) => ({
      blog: blog.Blog.fromPartial({ blogId: req.blogId, ownerId: req.actorId }),
    }),
  };
}
