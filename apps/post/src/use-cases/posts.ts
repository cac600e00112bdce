// Post use cases behind the RPCs: each write is one transaction with the event it announces (PostSubmitted starts
// the publish saga; PostUpdated and PostDeleted each start a saga of their own). Changes lock the post row so they
// cannot race the publish saga's verdict.
import { randomUUID } from 'node:crypto';
import { newSagaId, NotFoundError, withEvents, type Outbox, type Store } from '@blog/framework';
import { PostDeleted, PostSubmitted, PostUpdated } from '@blog/proto';
import type { CursorKey } from '../domain/cursor';
import {
  assertChangeable,
  changesOf,
  hasChanges,
  isVisibleTo,
  normalizeTags,
  type Post,
  type PostEdit,
} from '../domain/post';
import {
  deletePost,
  findPost,
  insertPost,
  listPublished,
  updatePost,
  type NewPost,
  type PageEntry,
} from '../repository/post.repository';

/** PostsDeps are what the post use cases need. */
export interface PostsDeps {
  readonly store: Store;
  readonly outbox: Outbox;
}

/** Page is one page of a blog's published posts and the position after its last one, if more follow. */
export interface Page {
  readonly posts: Post[];
  readonly next?: CursorKey;
}

/** Posts runs the post use cases. */
export class Posts {
  constructor(private readonly deps: PostsDeps) {}

  /** submit stores a PENDING post and emits PostSubmitted, starting the publish saga. */
  submit(input: Omit<NewPost, 'postId'>): Promise<Post> {
    const postId = randomUUID();
    return withEvents(this.deps.store, this.deps.outbox, async ({ tx, emit }) => {
      const post = await insertPost(tx, { ...input, postId, tags: normalizeTags(input.tags) });
      const data = { postId, blogId: post.blogId, authorId: post.authorId };
      await emit(PostSubmitted, postId, data, { sagaId: newSagaId() });
      return post;
    });
  }

  /** get returns a post its viewer may see, or NOT_FOUND. */
  async get(postId: string, viewerId: string): Promise<Post> {
    const post = await findPost(this.deps.store, postId);
    if (!isVisibleTo(post, viewerId)) throw new NotFoundError('post not found');
    return post;
  }

  /** listPublished returns up to `limit` published posts of a blog after `after`, newest first. */
  async listPublished(blogId: string, limit: number, after?: CursorKey): Promise<Page> {
    // One more than asked tells whether another page follows.
    const entries: PageEntry[] = await listPublished(this.deps.store, blogId, limit + 1, after);
    const page = entries.slice(0, limit);
    const last = page[page.length - 1];
    return { posts: page.map((e) => e.post), next: entries.length > limit && last ? last.key : undefined };
  }

  /** update changes the author's post; a PUBLISHED post's change is announced (PostUpdated). */
  update(postId: string, actorId: string, edit: PostEdit): Promise<Post> {
    return withEvents(this.deps.store, this.deps.outbox, async ({ tx, emit }) => {
      const current = await findPost(tx, postId, true);
      assertChangeable(current, actorId);
      const changes = changesOf(current, edit);
      if (!hasChanges(changes)) return current;
      const post = await updatePost(tx, postId, changes);
      if (post.status === 'PUBLISHED') {
        const data = {
          postId,
          blogId: post.blogId,
          title: post.title,
          tags: post.tags,
          updatedAt: post.updatedAt.toISOString(),
        };
        await emit(PostUpdated, postId, data, { sagaId: newSagaId() });
      }
      return post;
    });
  }

  /** delete removes the author's post and emits PostDeleted (blog uncounts it, subscribe drops it from feeds). */
  delete(postId: string, actorId: string): Promise<void> {
    return withEvents(this.deps.store, this.deps.outbox, async ({ tx, emit }) => {
      const current = await findPost(tx, postId, true);
      assertChangeable(current, actorId);
      await deletePost(tx, postId);
      const data = { postId, blogId: current.blogId, wasPublished: current.status === 'PUBLISHED' };
      await emit(PostDeleted, postId, data, { sagaId: newSagaId() });
    });
  }
}
