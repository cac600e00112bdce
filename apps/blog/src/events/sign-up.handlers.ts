// Sign-up saga, blog step: UserCreated -> the user's blog (BlogCreated), or BlogRejected when the slug is taken.
import { randomUUID } from 'node:crypto';
import type { EventHandler, Logger } from '@blog/framework';
import { BlogCreated, BlogRejected, type events } from '@blog/proto';
import { defaultTitle } from '../domain/blog';
import { isSlug } from '../domain/validation';
import { findBlogByOwner, insertBlog } from '../repository/blog.repository';

/** onUserCreated creates the new user's blog, or rejects the sign-up when its slug is taken. */
export function onUserCreated(logger: Logger): EventHandler<events.UserCreated> {
  return async (event, ctx) => {
    const ownerId = event.userId;
    if (await findBlogByOwner(ctx.tx, ownerId)) {
      logger.info({ ownerId }, 'UserCreated for an owner who has a blog already: nothing to do');
      return;
    }
    // The slug was validated by auth at sign-up; one that is not valid here cannot become a blog either.
    const blog = isSlug(event.blogSlug)
      ? await insertBlog(ctx.tx, {
          blogId: randomUUID(),
          ownerId,
          slug: event.blogSlug,
          title: defaultTitle(event.nickname),
        })
      : undefined;
    if (!blog) {
      const reason = isSlug(event.blogSlug) ? 'BLOG_SLUG_TAKEN' : 'BLOG_SLUG_INVALID';
      logger.info({ ownerId, slug: event.blogSlug, reason }, 'blog rejected');
      await ctx.emit(BlogRejected, ownerId, { ownerId, reason });
      return;
    }
    await ctx.emit(BlogCreated, blog.blogId, {
      blogId: blog.blogId,
      ownerId,
      slug: blog.slug,
      title: blog.title,
    });
  };
}
