// Sign-up saga, blog step, on the real stack: feed UserCreated as Debezium would, check the blog and the event.
import { randomUUID } from 'node:crypto';
import { events } from '@blog/proto';
import { waitFor } from '@blog/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Blog } from '../domain/blog';
import { findBlogByOwner } from '../repository/blog.repository';
import { arrangeBlog, feeder, markers, uniqueSlug } from '../testing/fixtures';
import { startBlog, type BlogHarness } from '../testing/harness';

let h: BlogHarness;
let markerBlog: Blog;

beforeAll(async () => {
  h = await startBlog();
  markerBlog = await arrangeBlog(h.store);
});

afterAll(() => h?.stop());

const created = (ownerId: string) => (e: events.BlogCreated) => e.ownerId === ownerId;
const rejected = (ownerId: string) => (e: events.BlogRejected) => e.ownerId === ownerId;

describe('UserCreated', () => {
  it('creates the user\'s ACTIVE blog with the slug and "<nickname>\'s blog", and emits BlogCreated', async () => {
    const userId = randomUUID();
    const slug = uniqueSlug('ada');
    const sent = await feeder(h).userCreated({ userId, nickname: 'Ada_L', blogSlug: slug });
    const { event, message } = await h.emitted.next('BlogCreated', events.BlogCreated, created(userId));
    const blog = await findBlogByOwner(h.store, userId);
    expect(blog).toMatchObject({
      slug,
      title: "Ada_L's blog",
      description: '',
      status: 'ACTIVE',
      postCount: 0,
    });
    expect(event).toMatchObject({ blogId: blog?.blogId, ownerId: userId, slug, title: "Ada_L's blog" });
    expect(event.meta).toMatchObject({
      eventType: 'BlogCreated',
      aggregateId: blog?.blogId,
      sagaId: sent.sagaId,
    });
    expect(message.key).toBe(blog?.blogId);
    expect(message.headers).toMatchObject({
      eventType: 'BlogCreated',
      sagaId: sent.sagaId,
      id: event.meta?.eventId,
    });
  });

  it('emits BlogRejected BLOG_SLUG_TAKEN, keyed by the owner, and creates nothing when the slug is taken', async () => {
    const slug = uniqueSlug();
    const first = randomUUID();
    const second = randomUUID();
    const feed = feeder(h);
    await feed.userCreated({ userId: first, nickname: 'first', blogSlug: slug });
    await h.emitted.next('BlogCreated', events.BlogCreated, created(first));
    const sent = await feed.userCreated({ userId: second, nickname: 'second', blogSlug: slug });
    const { event, message } = await h.emitted.next('BlogRejected', events.BlogRejected, rejected(second));
    expect(event).toMatchObject({ ownerId: second, reason: 'BLOG_SLUG_TAKEN' });
    expect(message.key).toBe(second);
    expect(message.headers.sagaId).toBe(sent.sagaId);
    expect(await findBlogByOwner(h.store, second)).toBeUndefined();
  });

  it('lets exactly one of two simultaneous sign-ups with one slug have it', async () => {
    const slug = uniqueSlug();
    const users = [randomUUID(), randomUUID()];
    const feed = feeder(h);
    await Promise.all(users.map((userId) => feed.userCreated({ userId, nickname: 'twin', blogSlug: slug })));
    const outcomeOf = (userId: string) =>
      h.emitted.all('BlogCreated', events.BlogCreated, created(userId)).length > 0
        ? 'created'
        : h.emitted.all('BlogRejected', events.BlogRejected, rejected(userId)).length > 0
          ? 'rejected'
          : undefined;
    const outcomes = await waitFor('both sign-ups to settle', () => {
      const both = users.map(outcomeOf);
      return both.every(Boolean) && both;
    });
    expect(outcomes.sort()).toEqual(['created', 'rejected']);
  });

  it('changes nothing for a redelivered UserCreated, or a repeated one with a new event id', async () => {
    const userId = randomUUID();
    const feed = feeder(h);
    const sent = await feed.userCreated({ userId, nickname: 'once', blogSlug: uniqueSlug() });
    await h.emitted.next('BlogCreated', events.BlogCreated, created(userId));
    const before = await findBlogByOwner(h.store, userId);
    await feed.send(sent);
    await feed.userCreated({ userId, nickname: 'once', blogSlug: uniqueSlug() });
    await markers(h, markerBlog).afterProfiles(userId);
    expect(h.emitted.all('BlogCreated', events.BlogCreated, created(userId))).toHaveLength(1);
    expect(h.emitted.all('BlogRejected', events.BlogRejected, rejected(userId))).toHaveLength(0);
    expect(await findBlogByOwner(h.store, userId)).toEqual(before);
  });
});
