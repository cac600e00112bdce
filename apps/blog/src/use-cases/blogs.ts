// Blog use cases behind the RPCs: reads see every blog but a DELETED one; update locks the row so it cannot race the
// deletion saga turning the blog DELETING. (The blog itself is created and deleted by the sagas: events/.)
import { NotFoundError, type Store } from '@blog/framework';
import { assertUpdatable, isVisible, type Blog } from '../domain/blog';
import type { BlogChanges } from '../domain/validation';
import { findBlog, findBlogByOwner, findBlogBySlug, updateBlog } from '../repository/blog.repository';

/** BlogsDeps are what the blog use cases need. */
export interface BlogsDeps {
  readonly store: Store;
}

function visible(blog: Blog | undefined): Blog {
  if (!isVisible(blog)) throw new NotFoundError('blog not found');
  return blog;
}

/** Blogs runs the blog use cases. */
export class Blogs {
  constructor(private readonly deps: BlogsDeps) {}

  /** get returns a blog by id, or NOT_FOUND. */
  async get(blogId: string): Promise<Blog> {
    return visible(await findBlog(this.deps.store, blogId));
  }

  /** getBySlug returns a blog by slug, or NOT_FOUND. */
  async getBySlug(slug: string): Promise<Blog> {
    return visible(await findBlogBySlug(this.deps.store, slug));
  }

  /** getByOwner returns the owner's blog, or NOT_FOUND. */
  async getByOwner(ownerId: string): Promise<Blog> {
    return visible(await findBlogByOwner(this.deps.store, ownerId));
  }

  /** update changes the title or description of the actor's own ACTIVE blog. */
  update(blogId: string, actorId: string, changes: BlogChanges): Promise<Blog> {
    return this.deps.store.withTransaction(async (tx) => {
      assertUpdatable(await findBlog(tx, blogId, true), actorId);
      return updateBlog(tx, blogId, changes);
    });
  }
}
