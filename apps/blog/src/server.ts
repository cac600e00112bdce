// gRPC handlers of blog.blog.v1.BlogService: validate, load, ask the domain, write, answer. Reads see every blog
// but a DELETED one; UpdateBlog locks the row so it cannot race the deletion saga turning the blog DELETING.
import { NotFoundError, validate, type Handlers, type Store } from '@blog/framework';
import { blog as api } from '@blog/proto';
import { toApiBlog } from './blog.mapper';
import { assertUpdatable, isVisible, type Blog } from './domain/blog';
import { blogIdRequest, ownerIdRequest, slugRequest, updateBlogRequest } from './domain/validation';
import { findBlog, findBlogByOwner, findBlogBySlug, updateBlog } from './repository/blog.repository';

function found(blog: Blog | undefined): { blog: api.Blog } {
  if (!isVisible(blog)) throw new NotFoundError('blog not found');
  return { blog: toApiBlog(blog) };
}

/** blogHandlers implements blog.blog.v1.BlogService on the service's store. */
export function blogHandlers(store: Store): Handlers<typeof api.BlogServiceService> {
  return {
    async getBlog(request) {
      const { blogId } = validate(blogIdRequest, request);
      return found(await findBlog(store, blogId));
    },
    async getBlogBySlug(request) {
      const { slug } = validate(slugRequest, request);
      return found(await findBlogBySlug(store, slug));
    },
    async getBlogByOwner(request) {
      const { ownerId } = validate(ownerIdRequest, request);
      return found(await findBlogByOwner(store, ownerId));
    },
    async updateBlog(request) {
      const { blogId, actorId, title, description } = validate(updateBlogRequest, request);
      return store.withTransaction(async (tx) => {
        const current = await findBlog(tx, blogId, true);
        assertUpdatable(current, actorId);
        return { blog: toApiBlog(await updateBlog(tx, blogId, { title, description })) };
      });
    },
  };
}
