// The blog repositories against the real PostgreSQL of the local stack, with the blog service's own role.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { PgStore } from '@blog/framework';
import { stackStore } from '@blog/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arrangeBlog, rowCount, uniqueSlug } from '../testing/fixtures';
import {
  countPost,
  countSubscription,
  deleteBlog,
  findBlog,
  findBlogByOwner,
  findBlogBySlug,
  insertBlog,
  isPostCounted,
  setStatus,
  uncountPost,
  uncountSubscription,
  updateBlog,
} from './blog.repository';
import { findDeletion, recordReport, startDeletion } from './deletion.repository';

let store: PgStore;

beforeAll(async () => {
  store = await stackStore('blog', 'blog', { migrationsDir: join(__dirname, '..', 'migrations') });
});

afterAll(() => store?.close());

describe('blogs', () => {
  it('inserts an ACTIVE blog with zero counters, found by id, slug and owner', async () => {
    const ownerId = randomUUID();
    const slug = uniqueSlug();
    const inserted = await insertBlog(store, { blogId: randomUUID(), ownerId, slug, title: "ada's blog" });
    expect(inserted).toMatchObject({
      ownerId,
      slug,
      title: "ada's blog",
      description: '',
      status: 'ACTIVE',
      postCount: 0,
      subscriberCount: 0,
    });
    expect(inserted?.createdAt).toBeInstanceOf(Date);
    expect(await findBlog(store, inserted?.blogId ?? '')).toEqual(inserted);
    expect(await findBlogBySlug(store, slug)).toEqual(inserted);
    expect(await findBlogByOwner(store, ownerId)).toEqual(inserted);
  });

  it('answers undefined for a taken slug and throws for a second blog of one owner', async () => {
    const first = await arrangeBlog(store);
    const taken = await insertBlog(store, {
      blogId: randomUUID(),
      ownerId: randomUUID(),
      slug: first.slug,
      title: 't',
    });
    expect(taken).toBeUndefined();
    await expect(
      insertBlog(store, { blogId: randomUUID(), ownerId: first.ownerId, slug: uniqueSlug(), title: 't' }),
    ).rejects.toThrow(/unique/);
  });

  it('finds nothing for unknown ids and for strings that are not UUIDs', async () => {
    expect(await findBlog(store, randomUUID())).toBeUndefined();
    expect(await findBlog(store, 'not-a-uuid')).toBeUndefined();
    expect(await findBlogByOwner(store, "1' or '1'='1")).toBeUndefined();
    expect(await findBlogBySlug(store, 'no-such-slug-anywhere')).toBeUndefined();
  });

  it('updates only the given fields', async () => {
    const blog = await arrangeBlog(store);
    const titled = await updateBlog(store, blog.blogId, { title: 'New title' });
    expect(titled).toMatchObject({ title: 'New title', description: '' });
    const described = await updateBlog(store, blog.blogId, { description: 'about' });
    expect(described).toMatchObject({ title: 'New title', description: 'about' });
    expect(await updateBlog(store, blog.blogId, { description: '' })).toMatchObject({ description: '' });
  });

  it('moves the status only from the expected one', async () => {
    const blog = await arrangeBlog(store);
    expect(await setStatus(store, blog.blogId, 'ACTIVE', 'DELETING')).toBe(true);
    expect(await setStatus(store, blog.blogId, 'ACTIVE', 'DELETING')).toBe(false);
    expect((await findBlog(store, blog.blogId))?.status).toBe('DELETING');
  });
});

describe('counters', () => {
  it('counts each post once and gives back exactly what it counted', async () => {
    const blog = await arrangeBlog(store);
    const postId = randomUUID();
    expect(await countPost(store, blog.blogId, postId)).toBe(true);
    expect(await countPost(store, blog.blogId, postId)).toBe(false);
    expect(await isPostCounted(store, postId)).toBe(true);
    expect((await findBlog(store, blog.blogId))?.postCount).toBe(1);
    expect(await uncountPost(store, postId)).toBe(true);
    expect(await uncountPost(store, postId)).toBe(false);
    expect(await uncountPost(store, randomUUID())).toBe(false);
    expect((await findBlog(store, blog.blogId))?.postCount).toBe(0);
  });

  it('counts each subscription once and gives back exactly what it counted', async () => {
    const blog = await arrangeBlog(store);
    const ids = [randomUUID(), randomUUID()];
    for (const id of ids) expect(await countSubscription(store, blog.blogId, id, randomUUID())).toBe(true);
    expect(await countSubscription(store, blog.blogId, ids[0], randomUUID())).toBe(false);
    expect((await findBlog(store, blog.blogId))?.subscriberCount).toBe(2);
    expect(await uncountSubscription(store, ids[0])).toBe(true);
    expect(await uncountSubscription(store, ids[0])).toBe(false);
    expect((await findBlog(store, blog.blogId))?.subscriberCount).toBe(1);
  });

  it('keeps counters exact under concurrent decrements of one post', async () => {
    const blog = await arrangeBlog(store);
    const postId = randomUUID();
    await countPost(store, blog.blogId, postId);
    const results = await Promise.all(
      [1, 2, 3].map(() => store.withTransaction((tx) => uncountPost(tx, postId))),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect((await findBlog(store, blog.blogId))?.postCount).toBe(0);
  });
});

describe('deletion state', () => {
  it('records the reports, and deleting the blog leaves no row of it behind', async () => {
    const blog = await arrangeBlog(store);
    await countPost(store, blog.blogId, randomUUID());
    await countSubscription(store, blog.blogId, randomUUID(), randomUUID());
    expect(await recordReport(store, blog.blogId, 'posts')).toBeUndefined();
    await startDeletion(store, blog.blogId, blog.ownerId, 'saga-1');
    await startDeletion(store, blog.blogId, blog.ownerId, 'saga-2');
    const posts = await recordReport(store, blog.blogId, 'posts');
    expect(posts).toMatchObject({ ownerId: blog.ownerId, sagaId: 'saga-1', subscriptionsCancelledAt: null });
    expect(posts?.postsDeletedAt).toBeInstanceOf(Date);
    const again = await recordReport(store, blog.blogId, 'posts');
    expect(again?.postsDeletedAt).toEqual(posts?.postsDeletedAt);
    const both = await recordReport(store, blog.blogId, 'subscriptions');
    expect(both?.subscriptionsCancelledAt).toBeInstanceOf(Date);
    expect(await deleteBlog(store, blog.blogId)).toBe(true);
    expect(await deleteBlog(store, blog.blogId)).toBe(false);
    expect(await findDeletion(store, blog.blogId)).toBeUndefined();
    for (const table of ['blog', 'counted_post', 'counted_subscription', 'blog_deletion']) {
      expect(await rowCount(store, table, 'blog_id = $1', blog.blogId), table).toBe(0);
    }
  });

  it('lets exactly one of two reports processed at once see both in', async () => {
    const blog = await arrangeBlog(store);
    await startDeletion(store, blog.blogId, blog.ownerId, undefined);
    const states = await Promise.all(
      (['posts', 'subscriptions'] as const).map((report) =>
        store.withTransaction(async (tx) => {
          const state = await recordReport(tx, blog.blogId, report);
          // Hold the row a moment so the other transaction really waits on it.
          await tx.query('select pg_sleep(0.1)');
          return state;
        }),
      ),
    );
    const complete = states.filter((s) => s?.postsDeletedAt && s.subscriptionsCancelledAt);
    expect(complete).toHaveLength(1);
  });
});
