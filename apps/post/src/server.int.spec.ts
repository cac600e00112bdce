// The PostService RPCs over real gRPC against the service started in-process on the local stack, with the events
// they emit read back from Kafka (through Debezium).
import { randomUUID } from 'node:crypto';
import { events, post as api } from '@blog/proto';
import { failureOf } from '@blog/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPost } from './repository/post.repository';
import { arrangePost } from './testing/fixtures';
import { startPost, type PostHarness } from './testing/harness';

let h: PostHarness;

beforeAll(async () => {
  h = await startPost();
});

afterAll(() => h?.stop());

/** failure returns what a failed call answered: its status code name and the fields it named. */
async function failure(call: Promise<unknown>): Promise<{ code: string; fields: string[] }> {
  const details = await failureOf(call);
  return { code: details.codeName, fields: details.violations.map((v) => v.field).sort() };
}

const {
  POST_STATUS_PENDING: PENDING,
  POST_STATUS_PUBLISHED: PUBLISHED,
  POST_STATUS_REJECTED: REJECTED,
} = api.PostStatus;

describe('SubmitPost', () => {
  it('stores a PENDING post and emits PostSubmitted, keyed by the post, with a new saga id', async () => {
    const blogId = randomUUID();
    const authorId = randomUUID();
    const { post } = await h.client.submitPost({
      blogId,
      authorId,
      title: 'Hello',
      content: 'World',
      tags: ['intro', 'intro', 'go'],
    });
    expect(post).toMatchObject({ blogId, authorId, title: 'Hello', content: 'World', tags: ['intro', 'go'] });
    expect(post?.status).toBe(PENDING);
    const postId = post?.postId ?? '';
    const { event, message } = await h.emitted.next(
      'PostSubmitted',
      events.PostSubmitted,
      (e) => e.postId === postId,
    );
    expect(event).toMatchObject({ postId, blogId, authorId });
    expect(message.key).toBe(postId);
    expect(message.headers.sagaId).toMatch(/^[0-9a-f-]{36}$/);
    expect(event.meta?.sagaId).toBe(message.headers.sagaId);
    expect((await findPost(h.store, postId))?.status).toBe('PENDING');
  });

  it('answers INVALID_ARGUMENT naming title, content and tags, storing nothing', async () => {
    const blogId = randomUUID();
    const bad = await failure(
      h.client.submitPost({ blogId, authorId: randomUUID(), title: '', content: '', tags: ['NOT OK'] }),
    );
    expect(bad).toEqual({ code: 'INVALID_ARGUMENT', fields: ['content', 'tags', 'title'] });
    const { rows } = await h.store.query('select 1 from post where blog_id = $1', [blogId]);
    expect(rows).toHaveLength(0);
  });
});

describe('GetPost', () => {
  it('shows a PUBLISHED post to everyone, a PENDING or REJECTED one only to its author', async () => {
    const published = await arrangePost(h.store, { status: 'PUBLISHED' });
    expect((await h.client.getPost({ postId: published.postId, viewerId: '' })).post).toMatchObject({
      postId: published.postId,
      content: 'Arranged content',
      status: PUBLISHED,
      createdAt: published.createdAt.toISOString(),
    });
    for (const [status, code] of [
      ['PENDING', PENDING],
      ['REJECTED', REJECTED],
    ] as const) {
      const post = await arrangePost(h.store, { status });
      expect((await h.client.getPost({ postId: post.postId, viewerId: post.authorId })).post?.status).toBe(
        code,
      );
      expect((await failure(h.client.getPost({ postId: post.postId, viewerId: randomUUID() }))).code).toBe(
        'NOT_FOUND',
      );
      expect((await failure(h.client.getPost({ postId: post.postId, viewerId: '' }))).code).toBe('NOT_FOUND');
    }
  });

  it('answers NOT_FOUND for an unknown post and INVALID_ARGUMENT for a malformed id', async () => {
    expect((await failure(h.client.getPost({ postId: randomUUID(), viewerId: '' }))).code).toBe('NOT_FOUND');
    expect(await failure(h.client.getPost({ postId: 'x', viewerId: '' }))).toEqual({
      code: 'INVALID_ARGUMENT',
      fields: ['postId'],
    });
  });
});

describe('ListBlogPosts', () => {
  it('pages through PUBLISHED posts newest first, equal timestamps included, until next_cursor is empty', async () => {
    const blogId = randomUUID();
    const published = [];
    for (let i = 0; i < 5; i++) published.push(await arrangePost(h.store, { blogId, status: 'PUBLISHED' }));
    await arrangePost(h.store, { blogId });
    await arrangePost(h.store, { blogId, status: 'REJECTED' });
    const ids = published.map((p) => p.postId);
    await h.store.query(
      `update post set created_at = '2026-04-01T00:00:00Z' where post_id = any($1::uuid[])`,
      [ids],
    );
    const pages: string[][] = [];
    let cursor = '';
    do {
      const page = await h.client.listBlogPosts({ blogId, limit: 2, cursor });
      pages.push(page.items.map((item) => item.postId));
      for (const item of page.items) expect(item).toMatchObject({ blogId, status: PUBLISHED });
      cursor = page.nextCursor;
    } while (cursor !== '' && pages.length < 10);
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    expect(pages.flat()).toEqual([...ids].sort().reverse());
  });

  it('returns an empty last page without a cursor, and defaults the limit to 20', async () => {
    const blogId = randomUUID();
    for (let i = 0; i < 21; i++) await arrangePost(h.store, { blogId, status: 'PUBLISHED' });
    const first = await h.client.listBlogPosts({ blogId, limit: 0, cursor: '' });
    expect(first.items).toHaveLength(20);
    expect(first.items[0]).not.toHaveProperty('content');
    const second = await h.client.listBlogPosts({ blogId, limit: 0, cursor: first.nextCursor });
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBe('');
    expect(await h.client.listBlogPosts({ blogId: randomUUID(), limit: 5, cursor: '' })).toEqual({
      items: [],
      nextCursor: '',
    });
  });

  it('answers INVALID_ARGUMENT naming a bad cursor or limit', async () => {
    const blogId = randomUUID();
    expect(await failure(h.client.listBlogPosts({ blogId, limit: 5, cursor: 'bogus!' }))).toEqual({
      code: 'INVALID_ARGUMENT',
      fields: ['cursor'],
    });
    expect((await failure(h.client.listBlogPosts({ blogId, limit: 101, cursor: '' }))).fields).toEqual([
      'limit',
    ]);
  });
});

describe('UpdatePost', () => {
  it('lets the author edit a PUBLISHED post and emits PostUpdated', async () => {
    const post = await arrangePost(h.store, { status: 'PUBLISHED' });
    const { post: updated } = await h.client.updatePost({
      postId: post.postId,
      actorId: post.authorId,
      title: 'Edited',
      tags: { values: ['x', 'y'] },
      content: undefined,
    });
    expect(updated).toMatchObject({ title: 'Edited', content: 'Arranged content', tags: ['x', 'y'] });
    const { event, message } = await h.emitted.next(
      'PostUpdated',
      events.PostUpdated,
      (e) => e.postId === post.postId,
    );
    expect(event).toMatchObject({
      blogId: post.blogId,
      title: 'Edited',
      tags: ['x', 'y'],
      updatedAt: updated?.updatedAt,
    });
    expect(message.key).toBe(post.postId);
    const cleared = await h.client.updatePost({
      postId: post.postId,
      actorId: post.authorId,
      tags: { values: [] },
    });
    expect(cleared.post?.tags).toEqual([]);
  });

  it('lets the author edit a REJECTED post without announcing it', async () => {
    const post = await arrangePost(h.store, { status: 'REJECTED' });
    const { post: updated } = await h.client.updatePost({
      postId: post.postId,
      actorId: post.authorId,
      content: 'Better',
      tags: undefined,
    });
    expect(updated).toMatchObject({ content: 'Better', status: REJECTED });
    const marker = await arrangePost(h.store, { status: 'PUBLISHED' });
    await h.client.updatePost({
      postId: marker.postId,
      actorId: marker.authorId,
      title: 'marker',
      tags: undefined,
    });
    await h.emitted.next('PostUpdated', events.PostUpdated, (e) => e.postId === marker.postId);
    expect(h.emitted.all('PostUpdated', events.PostUpdated, (e) => e.postId === post.postId)).toHaveLength(0);
  });

  it('answers FAILED_PRECONDITION while PENDING, PERMISSION_DENIED to others, NOT_FOUND for unknown posts', async () => {
    const pending = await arrangePost(h.store);
    const published = await arrangePost(h.store, { status: 'PUBLISHED' });
    const edit = { title: 'x', tags: undefined };
    expect(
      (await failure(h.client.updatePost({ postId: pending.postId, actorId: pending.authorId, ...edit })))
        .code,
    ).toBe('FAILED_PRECONDITION');
    expect(
      (await failure(h.client.updatePost({ postId: published.postId, actorId: randomUUID(), ...edit }))).code,
    ).toBe('PERMISSION_DENIED');
    expect(
      (await failure(h.client.updatePost({ postId: pending.postId, actorId: randomUUID(), ...edit }))).code,
    ).toBe('NOT_FOUND');
    expect(
      (await failure(h.client.updatePost({ postId: randomUUID(), actorId: randomUUID(), ...edit }))).code,
    ).toBe('NOT_FOUND');
    const invalid = await failure(
      h.client.updatePost({
        postId: published.postId,
        actorId: published.authorId,
        title: '',
        tags: { values: ['A'] },
      }),
    );
    expect(invalid).toEqual({ code: 'INVALID_ARGUMENT', fields: ['tags', 'title'] });
    expect((await findPost(h.store, published.postId))?.title).toBe('Arranged');
  });
});

describe('DeletePost', () => {
  it('removes the post and emits PostDeleted saying whether it was published', async () => {
    const published = await arrangePost(h.store, { status: 'PUBLISHED' });
    const rejected = await arrangePost(h.store, { status: 'REJECTED' });
    await h.client.deletePost({ postId: published.postId, actorId: published.authorId });
    await h.client.deletePost({ postId: rejected.postId, actorId: rejected.authorId });
    const wasPublished = (postId: string) =>
      h.emitted
        .next('PostDeleted', events.PostDeleted, (e) => e.postId === postId)
        .then((seen) => seen.event);
    expect(await wasPublished(published.postId)).toMatchObject({
      blogId: published.blogId,
      wasPublished: true,
    });
    expect(await wasPublished(rejected.postId)).toMatchObject({ wasPublished: false });
    expect(
      (await failure(h.client.getPost({ postId: published.postId, viewerId: published.authorId }))).code,
    ).toBe('NOT_FOUND');
    expect(await findPost(h.store, published.postId)).toBeUndefined();
    expect(
      (await failure(h.client.deletePost({ postId: published.postId, actorId: published.authorId }))).code,
    ).toBe('NOT_FOUND');
  });

  it('answers FAILED_PRECONDITION while PENDING and PERMISSION_DENIED to others, keeping the post', async () => {
    const pending = await arrangePost(h.store);
    const published = await arrangePost(h.store, { status: 'PUBLISHED' });
    expect(
      (await failure(h.client.deletePost({ postId: pending.postId, actorId: pending.authorId }))).code,
    ).toBe('FAILED_PRECONDITION');
    expect(
      (await failure(h.client.deletePost({ postId: published.postId, actorId: randomUUID() }))).code,
    ).toBe('PERMISSION_DENIED');
    expect(await findPost(h.store, pending.postId)).toBeDefined();
    expect(await findPost(h.store, published.postId)).toBeDefined();
  });
});
