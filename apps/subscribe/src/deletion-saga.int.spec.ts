// subscribe's steps of the account-deletion saga on the stack: AccountDeletionRequested and BlogDeleting fed through
// Kafka, nothing of the account or blog left in the schema, the reports and compensations read back from Kafka.
import { randomUUID } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { AggregateTypes, events, subscribe } from '@blog/proto';
import { must, sleep } from '@blog/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './testing/harness';

const { SubscriptionStatus: S } = subscribe;
let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.stop());

describe('the deletion saga', () => {
  it("AccountDeletionRequested removes the account's subscriptions and feed, cancels the ACTIVE ones, reports", async () => {
    const account = randomUUID();
    const sagaId = randomUUID();
    const active = await h.subscribed(randomUUID(), account);
    const pendingSub = must(
      (await h.client.subscribe({ subscriberId: account, blogId: randomUUID() })).subscription,
    );
    const pending = {
      subscriptionId: pendingSub.subscriptionId,
      subscriberId: account,
      blogId: pendingSub.blogId,
    };
    const rejectedSub = must(
      (await h.client.subscribe({ subscriberId: account, blogId: randomUUID() })).subscription,
    );
    await h.processed(await h.reject(rejectedSub, 'BLOG_NOT_ACTIVE'));
    await h.processed((await h.publish(active.blogId)).fed);
    const bystander = await h.subscribed(active.blogId);
    expect(await h.rowsOf('subscriber_id', account)).toBe(4);

    const fed = await h.accountDeletion(account, sagaId);
    const { event: report } = await h.emitted.next(
      'AccountSubscriptionsCancelled',
      events.AccountSubscriptionsCancelled,
      (e) => e.accountId === account,
    );
    expect(report).toMatchObject({ accountId: account, cancelledCount: 2, meta: { sagaId } });
    expect(await h.rowsOf('subscriber_id', account)).toBe(0);
    // Same transaction, other key (hence maybe another partition): wait for it rather than assume it came first.
    await h.emitted.next(
      'SubscriptionCancelled',
      events.SubscriptionCancelled,
      (e) => e.subscriptionId === active.subscriptionId,
    );
    const cancelled = h.emitted.all(
      'SubscriptionCancelled',
      events.SubscriptionCancelled,
      (e) => e.subscriberId === account,
    );
    expect(cancelled.map((seen) => seen.event)).toEqual([
      expect.objectContaining({ ...active, wasActive: true, meta: expect.objectContaining({ sagaId }) }),
    ]);
    await expect(
      h.client.getSubscription({ subscriberId: account, blogId: active.blogId }),
    ).rejects.toMatchObject({
      code: status.NOT_FOUND,
    });
    // Another reader of the same blog keeps everything.
    expect((await h.current(bystander.subscriberId, active.blogId)).status).toBe(
      S.SUBSCRIPTION_STATUS_ACTIVE,
    );

    // The blog accepts the PENDING one after all: it counted a subscriber nobody will cancel, so subscribe does.
    await h.processed(await h.accept(pending));
    const { event: compensation } = await h.emitted.next(
      'SubscriptionCancelled',
      events.SubscriptionCancelled,
      (e) => e.subscriptionId === pending.subscriptionId,
    );
    expect(compensation).toMatchObject({ ...pending, wasActive: true });
    expect(await h.rowsOf('subscriber_id', account)).toBe(0);
    // A second acceptance of it, and the deletion event redelivered: nothing more.
    await h.processed(await h.accept(pending));
    await h.bus.redeliver(fed);
    await h.settled(AggregateTypes.blog, pending.blogId);
    await sleep(1_500);
    expect(
      h.emitted.all('SubscriptionCancelled', events.SubscriptionCancelled, (e) => e.subscriberId === account),
    ).toHaveLength(2);
    expect(
      h.emitted.all(
        'AccountSubscriptionsCancelled',
        events.AccountSubscriptionsCancelled,
        (e) => e.accountId === account,
      ),
    ).toHaveLength(1);
  });

  it('an acceptance of a subscription this service never had is ignored, not compensated', async () => {
    const stranger = { subscriptionId: randomUUID(), subscriberId: randomUUID(), blogId: randomUUID() };
    await h.processed(await h.accept(stranger));
    await sleep(1_500);
    expect(
      h.emitted.all(
        'SubscriptionCancelled',
        events.SubscriptionCancelled,
        (e) => e.subscriptionId === stranger.subscriptionId,
      ),
    ).toEqual([]);
  });

  it('BlogDeleting removes every subscription to the blog and its feed rows, with no SubscriptionCancelled, and reports', async () => {
    const [blog, otherBlog, sagaId] = [randomUUID(), randomUUID(), randomUUID()];
    const a = await h.subscribed(blog);
    const b = await h.subscribed(blog);
    const pending = must(
      (await h.client.subscribe({ subscriberId: randomUUID(), blogId: blog })).subscription,
    );
    await h.subscribed(otherBlog, a.subscriberId);
    const ofBlog = await h.publish(blog);
    const ofOther = await h.publish(otherBlog);
    await h.processed(ofBlog.fed);
    await h.processed(ofOther.fed);
    expect(await h.rowsOf('blog_id', blog)).toBe(5);

    const fed = await h.blogDeleting(blog, sagaId);
    const report = await h.emitted.next(
      'BlogSubscriptionsCancelled',
      events.BlogSubscriptionsCancelled,
      (e) => e.blogId === blog,
    );
    expect(report.event).toMatchObject({ blogId: blog, cancelledCount: 3, meta: { sagaId } });
    expect(report.key).toBe(blog);
    expect(await h.rowsOf('blog_id', blog)).toBe(0);
    expect(await h.feedIds(a.subscriberId)).toEqual([ofOther.post.postId]);
    await expect(
      h.client.getSubscription({ subscriberId: b.subscriberId, blogId: blog }),
    ).rejects.toMatchObject({
      code: status.NOT_FOUND,
    });
    // A post of the deleted blog published late reaches nobody; the deletion redelivered reports nothing more.
    await h.processed((await h.publish(blog)).fed);
    await h.bus.redeliver(fed);
    await h.settled(AggregateTypes.blog, blog);
    await sleep(1_500);
    expect(await h.rowsOf('blog_id', blog)).toBe(0);
    expect(
      h.emitted.all(
        'BlogSubscriptionsCancelled',
        events.BlogSubscriptionsCancelled,
        (e) => e.blogId === blog,
      ),
    ).toHaveLength(1);
    const ids = [a.subscriptionId, b.subscriptionId, pending.subscriptionId];
    expect(
      h.emitted.all('SubscriptionCancelled', events.SubscriptionCancelled, (e) =>
        ids.includes(e.subscriptionId),
      ),
    ).toEqual([]);
  });
});
