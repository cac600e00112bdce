// The feed and subscription SQL against real PostgreSQL: fan-out to ACTIVE readers only, refresh ordering, keyset
// pages with ties and microseconds, and the lock that keeps a publish racing an unsubscribe from leaving rows behind.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { PgStore, Transaction } from '@blog/framework';
import { holdOpen, stackStore } from '@blog/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCursor, pageOf } from '../domain/feed-cursor';
import {
  fanOut,
  feedPage,
  refresh,
  removeBlogFromFeed,
  removePost,
  type PublishedPost,
} from './feed.repository';
import { findOpen, insertPending, transition } from './subscriptions.repository';

let store: PgStore;

beforeAll(async () => {
  store = await stackStore('subscribe', 'subscribe', {
    migrationsDir: join(__dirname, '..', 'migrations'),
    max: 8,
  });
});
afterAll(() => store?.close());

async function activeSubscription(subscriberId: string, blogId: string): Promise<string> {
  const sub = await insertPending(store, { subscriptionId: randomUUID(), subscriberId, blogId });
  if (!sub) throw new Error('pair already open');
  await transition(store, sub.subscriptionId, 'PENDING', 'ACTIVE');
  return sub.subscriptionId;
}

const published = (
  blogId: string,
  publishedAt: string,
  over: Partial<PublishedPost> = {},
): PublishedPost => ({
  postId: randomUUID(),
  blogId,
  authorId: randomUUID(),
  title: 'a title',
  tags: ['x'],
  createdAt: publishedAt,
  publishedAt,
  ...over,
});

const feedIds = async (reader: string) => (await feedPage(store, reader, 100)).map((i) => i.postId);

describe('feed repository', () => {
  it('fans a post out to the ACTIVE readers of its blog only, once', async () => {
    const [blog, other] = [randomUUID(), randomUUID()];
    const [active, pending, elsewhere] = [randomUUID(), randomUUID(), randomUUID()];
    await activeSubscription(active, blog);
    await insertPending(store, { subscriptionId: randomUUID(), subscriberId: pending, blogId: blog });
    await activeSubscription(elsewhere, other);
    const post = published(blog, '2025-01-01T00:00:00.000Z');
    expect(await fanOut(store, post)).toBe(1);
    expect(await fanOut(store, post)).toBe(0);
    expect(await feedIds(active)).toEqual([post.postId]);
    expect(await feedIds(pending)).toEqual([]);
    expect(await feedIds(elsewhere)).toEqual([]);
  });

  it('refreshes copies with a newer update only, and removes posts and blogs from feeds', async () => {
    const [blog, reader] = [randomUUID(), randomUUID()];
    await activeSubscription(reader, blog);
    const post = published(blog, '2025-01-01T00:00:00.000Z');
    await fanOut(store, post);
    const update = {
      postId: post.postId,
      title: 'new',
      tags: ['y', 'z'],
      updatedAt: '2025-01-02T00:00:00.000Z',
    };
    expect(await refresh(store, update)).toBe(1);
    expect(await refresh(store, { ...update, title: 'stale', updatedAt: '2025-01-01T12:00:00.000Z' })).toBe(
      0,
    );
    const [item] = await feedPage(store, reader, 10);
    expect(item).toMatchObject({ title: 'new', tags: ['y', 'z'] });
    expect(item.updatedAt.toISOString()).toBe('2025-01-02T00:00:00.000Z');
    expect(item.createdAt.toISOString()).toBe('2025-01-01T00:00:00.000Z');

    const second = published(blog, '2025-01-03T00:00:00.000Z');
    await fanOut(store, second);
    expect(await removePost(store, post.postId)).toBe(1);
    expect(await feedIds(reader)).toEqual([second.postId]);
    expect(await removeBlogFromFeed(store, reader, blog)).toBe(1);
    expect(await feedIds(reader)).toEqual([]);
  });

  it('pages newest first with ties broken by post id, microseconds kept, nothing skipped or repeated', async () => {
    const [blog, reader] = [randomUUID(), randomUUID()];
    await activeSubscription(reader, blog);
    // Same-width timestamps, so string order is time order; three share one microsecond, two another.
    const times = [
      '2025-02-01T10:00:00.000001Z',
      '2025-02-01T10:00:00.000002Z',
      '2025-02-01T10:00:00.000002Z',
      '2025-02-01T10:00:00.000002Z',
      '2025-02-01T10:00:00.500000Z',
      '2025-02-02T00:00:00.000000Z',
      '2025-02-02T00:00:00.000000Z',
    ];
    const posts = times.map((t) => published(blog, t));
    for (const post of posts) await fanOut(store, post);
    const desc = (a: string, b: string) => (a < b ? 1 : a > b ? -1 : 0);
    const newestFirst = [...posts].sort(
      (a, b) => desc(a.publishedAt, b.publishedAt) || desc(a.postId, b.postId),
    );
    const seen: string[] = [];
    let cursor = '';
    for (let pages = 0; pages < 10; pages++) {
      const rows = await feedPage(store, reader, 3, cursor ? decodeCursor(cursor) : undefined);
      const page = pageOf(rows, 2, (r) => r);
      seen.push(...page.items.map((i) => i.postId));
      cursor = page.next;
      if (!cursor) break;
    }
    expect(seen).toHaveLength(posts.length);
    expect(new Set(seen).size).toBe(posts.length);
    expect(seen).toEqual(newestFirst.map((p) => p.postId));
  });
});

describe('a publish racing an unsubscribe', () => {
  const unsubscribe = (tx: Transaction, reader: string, blog: string) =>
    findOpen(tx, reader, blog, { lock: true }).then(async (open) => {
      if (!open) throw new Error('no open subscription');
      await transition(tx, open.subscriptionId, 'ACTIVE', 'CANCELLED');
      await removeBlogFromFeed(tx, reader, blog);
    });

  it('an unsubscribe committed after a fan-out removes the rows that fan-out added', async () => {
    const [blog, reader] = [randomUUID(), randomUUID()];
    await activeSubscription(reader, blog);
    const publish = holdOpen(store, (tx) => fanOut(tx, published(blog, '2025-01-01T00:00:00Z')));
    await publish.started;
    let cancelled = false;
    const cancel = store
      .withTransaction((tx) => unsubscribe(tx, reader, blog))
      .then(() => (cancelled = true));
    await new Promise((r) => setTimeout(r, 300));
    expect(cancelled).toBe(false);
    publish.release();
    await publish.done;
    await cancel;
    expect(await feedIds(reader)).toEqual([]);
  });

  it('a fan-out waiting for an unsubscribe in flight skips the reader', async () => {
    const [blog, reader] = [randomUUID(), randomUUID()];
    await activeSubscription(reader, blog);
    const cancel = holdOpen(store, (tx) => unsubscribe(tx, reader, blog));
    await cancel.started;
    let added: number | undefined;
    const publish = store
      .withTransaction((tx) => fanOut(tx, published(blog, '2025-01-01T00:00:00Z')))
      .then((n) => (added = n));
    await new Promise((r) => setTimeout(r, 300));
    expect(added).toBeUndefined();
    cancel.release();
    await cancel.done;
    expect(await publish).toBe(0);
    expect(await feedIds(reader)).toEqual([]);
  });
});
