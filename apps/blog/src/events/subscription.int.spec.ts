// Subscribe saga (SubscriptionRequested) and unsubscribing (SubscriptionCancelled), blog side, on the real stack.
import { randomUUID } from 'node:crypto';
import { events } from '@blog/proto';
import { waitFor } from '@blog/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Blog } from '../domain/blog';
import { deleteBlog, setStatus } from '../repository/blog.repository';
import { arrangeBlog, blogNow, feeder, markers } from '../testing/fixtures';
import { startBlog, type BlogHarness } from '../testing/harness';

let h: BlogHarness;
let markerBlog: Blog;

beforeAll(async () => {
  h = await startBlog();
  markerBlog = await arrangeBlog(h.store);
});

afterAll(() => h?.stop());

const accepted = (id: string) => (e: events.SubscriptionAccepted) => e.subscriptionId === id;
const rejected = (id: string) => (e: events.SubscriptionRejected) => e.subscriptionId === id;

/** subscribe feeds SubscriptionRequested and waits for the blog's verdict on it. */
async function subscribe(blogId: string, subscriberId: string = randomUUID()) {
  const subscriptionId = randomUUID();
  const sent = await feeder(h).subscriptionRequested({ subscriptionId, subscriberId, blogId });
  const verdict = await waitFor('the verdict on the subscription', () => {
    const [yes] = h.emitted.all(
      'SubscriptionAccepted',
      events.SubscriptionAccepted,
      accepted(subscriptionId),
    );
    const [no] = h.emitted.all('SubscriptionRejected', events.SubscriptionRejected, rejected(subscriptionId));
    return yes ? { accepted: yes } : no ? { rejected: no } : undefined;
  });
  return { subscriptionId, subscriberId, sent, ...verdict };
}

describe('SubscriptionRequested', () => {
  it('accepts a reader of an ACTIVE blog: subscriberCount + 1 and SubscriptionAccepted with the saga id', async () => {
    const blog = await arrangeBlog(h.store);
    const { subscriptionId, subscriberId, sent, accepted: seen } = await subscribe(blog.blogId);
    expect(seen?.event).toMatchObject({ subscriptionId, subscriberId, blogId: blog.blogId });
    expect(seen?.message.key).toBe(blog.blogId);
    expect(seen?.message.headers.sagaId).toBe(sent.sagaId);
    expect((await blogNow(h, blog.blogId))?.subscriberCount).toBe(1);
  });

  it('rejects BLOG_NOT_FOUND, BLOG_NOT_ACTIVE and SELF_SUBSCRIPTION, counting nothing', async () => {
    const missing = await subscribe(randomUUID());
    expect(missing.rejected?.event.reason).toBe('BLOG_NOT_FOUND');
    const deleting = await arrangeBlog(h.store);
    await setStatus(h.store, deleting.blogId, 'ACTIVE', 'DELETING');
    const locked = await subscribe(deleting.blogId);
    expect(locked.rejected?.event).toMatchObject({ blogId: deleting.blogId, reason: 'BLOG_NOT_ACTIVE' });
    const own = await arrangeBlog(h.store);
    const self = await subscribe(own.blogId, own.ownerId);
    expect(self.rejected?.event).toMatchObject({
      subscriberId: own.ownerId,
      blogId: own.blogId,
      reason: 'SELF_SUBSCRIPTION',
    });
    expect((await blogNow(h, deleting.blogId))?.subscriberCount).toBe(0);
    expect((await blogNow(h, own.blogId))?.subscriberCount).toBe(0);
  });

  it('keeps subscriberCount exact when SubscriptionRequested is redelivered or repeated with a new event id', async () => {
    const blog = await arrangeBlog(h.store);
    const { subscriptionId, subscriberId, sent } = await subscribe(blog.blogId);
    const feed = feeder(h);
    await feed.send(sent);
    await feed.subscriptionRequested({ subscriptionId, subscriberId, blogId: blog.blogId });
    await markers(h, markerBlog).afterSubscriptions(subscriptionId);
    expect((await blogNow(h, blog.blogId))?.subscriberCount).toBe(1);
    expect(
      h.emitted.all('SubscriptionAccepted', events.SubscriptionAccepted, accepted(subscriptionId)),
    ).toHaveLength(1);
  });
});

describe('SubscriptionCancelled', () => {
  it('takes an active subscription out of subscriberCount, exactly once whatever is repeated', async () => {
    const blog = await arrangeBlog(h.store);
    const first = await subscribe(blog.blogId);
    await subscribe(blog.blogId);
    const feed = feeder(h);
    const data = {
      subscriptionId: first.subscriptionId,
      subscriberId: first.subscriberId,
      blogId: blog.blogId,
    };
    const cancelled = await feed.subscriptionCancelled({ ...data, wasActive: true });
    await feed.send(cancelled);
    await feed.subscriptionCancelled({ ...data, wasActive: true });
    await markers(h, markerBlog).afterSubscriptions(first.subscriptionId);
    expect((await blogNow(h, blog.blogId))?.subscriberCount).toBe(1);
  });

  it('gives back the +1 of a subscription accepted here but cancelled while still PENDING at subscribe', async () => {
    const blog = await arrangeBlog(h.store);
    const { subscriptionId, subscriberId } = await subscribe(blog.blogId);
    await feeder(h).subscriptionCancelled({
      subscriptionId,
      subscriberId,
      blogId: blog.blogId,
      wasActive: false,
    });
    await markers(h, markerBlog).afterSubscriptions(subscriptionId);
    expect((await blogNow(h, blog.blogId))?.subscriberCount).toBe(0);
  });

  it('changes nothing for a subscription never accepted', async () => {
    const blog = await arrangeBlog(h.store);
    await subscribe(blog.blogId);
    const subscriptionId = randomUUID();
    await feeder(h).subscriptionCancelled({
      subscriptionId,
      subscriberId: randomUUID(),
      blogId: blog.blogId,
      wasActive: true,
    });
    await markers(h, markerBlog).afterSubscriptions(subscriptionId);
    expect((await blogNow(h, blog.blogId))?.subscriberCount).toBe(1);
  });

  it('is a no-op, not an error, for a blog being deleted or already gone', async () => {
    const deleting = await arrangeBlog(h.store);
    const gone = await arrangeBlog(h.store);
    const inDeleting = await subscribe(deleting.blogId);
    const inGone = await subscribe(gone.blogId);
    await setStatus(h.store, deleting.blogId, 'ACTIVE', 'DELETING');
    await deleteBlog(h.store, gone.blogId);
    const feed = feeder(h);
    const late = [
      await feed.subscriptionCancelled({
        subscriptionId: inDeleting.subscriptionId,
        subscriberId: inDeleting.subscriberId,
        blogId: deleting.blogId,
        wasActive: true,
      }),
      await feed.subscriptionCancelled({
        subscriptionId: inGone.subscriptionId,
        subscriberId: inGone.subscriberId,
        blogId: gone.blogId,
        wasActive: true,
      }),
    ];
    await markers(h, markerBlog).afterSubscriptions(inDeleting.subscriptionId);
    await markers(h, markerBlog).afterSubscriptions(inGone.subscriptionId);
    for (const event of late) expect(await h.handled(event)).toBe(true);
    expect(await blogNow(h, deleting.blogId)).toMatchObject({ status: 'DELETING', subscriberCount: 0 });
    expect(await blogNow(h, gone.blogId)).toBeUndefined();
  });
});
