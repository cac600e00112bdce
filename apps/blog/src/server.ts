// gRPC handlers of blog.blog.v1.BlogService: validate the request, run the use case, map the answer.
import { validate, type Handlers } from '@blog/framework';
import type { blog as api } from '@blog/proto';
import { toApiBlog } from './blog.mapper';
import { blogIdRequest, ownerIdRequest, slugRequest, updateBlogRequest } from './domain/validation';
import type { Blogs } from './use-cases/blogs';

/** blogHandlers implements blog.blog.v1.BlogService on the blog use cases. */
export function blogHandlers(blogs: Blogs): Handlers<typeof api.BlogServiceService> {
  return {
    async getBlog(request) {
      const { blogId } = validate(blogIdRequest, request);
      return { blog: toApiBlog(await blogs.get(blogId)) };
    },
    async getBlogBySlug(request) {
      const { slug } = validate(slugRequest, request);
      return { blog: toApiBlog(await blogs.getBySlug(slug)) };
    },
    async getBlogByOwner(request) {
      const { ownerId } = validate(ownerIdRequest, request);
      return { blog: toApiBlog(await blogs.getByOwner(ownerId)) };
    },
    async updateBlog(request) {
      const { blogId, actorId, title, description } = validate(updateBlogRequest, request);
      return { blog: toApiBlog(await blogs.update(blogId, actorId, { title, description })) };
    },
  };
}
