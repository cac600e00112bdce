// The post repository against the real PostgreSQL of the local stack, with the post service's own role.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { PgStore } from '@blog/framework';
import { stackStore } from '@blog/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arrangePost } from '../testing/fixtures';
import {
  deleteBlogPosts,
  deletePost,
  findPost,
  insertPost,
  listPublished,
  publishPost,
  rejectPost,
  updatePost,
} from './post.repository';

let store: PgStore;

beforeAll(async () => {
  store = await stackStore('post', 'post', { migrationsDir: join(__dirname, '..', 'migrations') });
});

afterAll(() => store?.close());

describe('posts', () => {
  it('stores a PENDING post and finds it by id', async () => {
    const post = {
      postId: randomUUID(),
      blogId: randomUUID(),
      authorId: randomUUID(),
      title: 'Title',
      content: 'Body',
      tags: ['a', 'b'],
    };
    const inserted = await insertPost(store, post);
    expect(inserted).toMatchObject({ ...post, status: 'PENDING', publishedAt: null });
    expect(inserted.createdAt).toBeInstanceOf(Date);
    expect(await findPost(store, post.postId)).toEqual(inserted);
    expect(await findPost(store, randomUUID())).toBeUndefined();
    expect(await findPost(store, 'nope')).toBeUndefined();
  });

  it('publishes or rejects only a PENDING post', async () => {
    const post = await arrangePost(store);
    const published = await publishPost(store, post.postId);
    expect(published).toMatchObject({ status: 'PUBLISHED' });
    expect(published?.publishedAt).toBeInstanceOf(Date);
    expect(await publishPost(store, post.postId)).toBeUndefined();
    expect(await rejectPost(store, post.postId, 'NOT_OWNER')).toBe(false);
    const other = await arrangePost(store);
    expect(await rejectPost(store, other.postId, 'BLOG_NOT_ACTIVE')).toBe(true);
    expect(await publishPost(store, other.postId)).toBeUndefined();
    expect((await findPost(store, other.postId))?.status).toBe('REJECTED');
    expect(await publishPost(store, randomUUID())).toBeUndefined();
  });

  it('updates the given fields and the update time', async () => {
    const post = await arrangePost(store, { status: 'PUBLISHED' });
    const updated = await updatePost(store, post.postId, { tags: [] });
    expect(updated).toMatchObject({ title: post.title, content: post.content, tags: [] });
    expect(updated.updatedAt.getTime()).toBeGreaterThanOrEqual(post.updatedAt.getTime());
    expect(await updatePost(store, post.postId, { title: 'T2', content: 'C2' })).toMatchObject({
      title: 'T2',
      content: 'C2',
      tags: [],
    });
  });

  it('deletes a post, and every post of a blog whatever its status', async () => {
    const blogId = randomUUID();
    const single = await arrangePost(store);
    expect(await deletePost(store, single.postId)).toBe(true);
    expect(await deletePost(store, single.postId)).toBe(false);
    const other = await arrangePost(store, { status: 'PUBLISHED' });
    for (const status of ['PENDING', 'PUBLISHED', 'REJECTED'] as const)
      await arrangePost(store, { blogId, status });
    expect(await deleteBlogPosts(store, blogId)).toBe(3);
    expect(await deleteBlogPosts(store, blogId)).toBe(0);
    expect(await deleteBlogPosts(store, 'nope')).toBe(0);
    const { rows } = await store.query('select 1 from post where blog_id = $1', [blogId]);
    expect(rows).toHaveLength(0);
    expect(await findPost(store, other.postId)).toBeDefined();
  });
});

describe('listPublished', () => {
  it('pages newest first through equal timestamps by post id, without skipping or repeating', async () => {
    const blogId = randomUUID();
    const posts = [];
    for (let i = 0; i < 7; i++) posts.push(await arrangePost(store, { blogId, status: 'PUBLISHED' }));
    await arrangePost(store, { blogId, status: 'PENDING' });
    await arrangePost(store, { blogId, status: 'REJECTED' });
    // Five posts share one timestamp (to the microsecond), two are older and newer than them.
    const ids = posts.map((p) => p.postId);
    await store.query(
      `update post set created_at = '2026-03-01T10:00:00.123456Z' where post_id = any($1::uuid[])`,
      [ids.slice(0, 5)],
    );
    await store.query(`update post set created_at = '2026-03-01T10:00:00.123455Z' where post_id = $1`, [
      ids[5],
    ]);
    await store.query(`update post set created_at = '2026-03-01T10:00:00.123457Z' where post_id = $1`, [
      ids[6],
    ]);
    const expected = [ids[6], ...ids.slice(0, 5).sort().reverse(), ids[5]];

    const seen: string[] = [];
    let after;
    for (let page = 0; page < 10; page++) {
      const entries = await listPublished(store, blogId, 2, after);
      seen.push(...entries.map((e) => e.post.postId));
      if (entries.length < 2) break;
      after = entries[entries.length - 1].key;
    }
    expect(seen).toEqual(expected);
    expect((await listPublished(store, blogId, 100)).map((e) => e.post.postId)).toEqual(expected);
  });

  it('keys each entry at microsecond precision', async () => {
    const post = await arrangePost(store, { status: 'PUBLISHED' });
    await store.query(`update post set created_at = '2026-03-01T10:00:00.000001+02' where post_id = $1`, [
      post.postId,
    ]);
    const [entry] = await listPublished(store, post.blogId, 1);
    expect(entry.key).toEqual({ createdAt: '2026-03-01T08:00:00.000001Z', postId: post.postId });
  });
});
