// The subscribe saga on the stack: Subscribe, GetSubscription, ListSubscriptions over real gRPC; blog's answers fed
// through Kafka like Debezium publishes them; SubscriptionRequested/Activated read back from events.subscribe.subscription.
import { randomUUID } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { AggregateTypes, events, subscribe } from '@blog/proto';
import { must, sleep } from '@blog/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './testing/harness';

const { SubscriptionStatus: S, SubscriptionRejectionReason: R } = subscribe;
let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.stop());

describe('Subscribe and the subscribe saga', () => {
  it('creates a PENDING subscription once, answers it again, and emits SubscriptionRequested', async () => {
    const [reader, blog] = [randomUUID(), randomUUID()];
    const first = await h.client.subscribe({ subscriberId: reader, blogId: blog });
    expect(first.created).toBe(true);
    expect(first.subscription).toMatchObject({
      subscriberId: reader,
      blogId: blog,
      status: S.SUBSCRIPTION_STATUS_PENDING,
    });
    const again = await h.client.subscribe({ subscriberId: reader, blogId: blog });
    expect(again).toEqual({ subscription: first.subscription, created: false });
    expect(await h.current(reader, blog)).toEqual(first.subscription);
    expect((await h.client.listSubscriptions({ subscriberId: reader })).items).toEqual([first.subscription]);
    // PENDING is the saga's semantic lock.
    await expect(h.client.unsubscribe({ subscriberId: reader, blogId: blog })).rejects.toMatchObject({
      code: status.FAILED_PRECONDITION,
    });

    const id = must(first.subscription).subscriptionId;
    const requested = await h.emitted.next(
      'SubscriptionRequested',
      events.SubscriptionRequested,
      (e) => e.subscriptionId === id,
    );
    expect(requested.event).toMatchObject({ subscriptionId: id, subscriberId: reader, blogId: blog });
    expect(requested.key).toBe(id);
    expect(requested.sagaId).toMatch(/^[0-9a-f-]{36}$/);
    expect(requested.event.meta?.sagaId).toBe(requested.sagaId);
  });

  it('answers eight simultaneous Subscribe calls with one subscription, created once', async () => {
    const [reader, blog] = [randomUUID(), randomUUID()];
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => h.client.subscribe({ subscriberId: reader, blogId: blog })),
    );
    expect(answers.filter((a) => a.created)).toHaveLength(1);
    expect(new Set(answers.map((a) => must(a.subscription).subscriptionId)).size).toBe(1);
    const { rows } = await h.store.query(
      'select 1 from subscriptions where subscriber_id = $1 and blog_id = $2',
      [reader, blog],
    );
    expect(rows).toHaveLength(1);
  });

  it('SubscriptionAccepted: PENDING -> ACTIVE and SubscriptionActivated with the saga id; repeats change nothing', async () => {
    const [reader, blog] = [randomUUID(), randomUUID()];
    const { subscription } = await h.client.subscribe({ subscriberId: reader, blogId: blog });
    const sub = { subscriptionId: must(subscription).subscriptionId, subscriberId: reader, blogId: blog };
    // Blog answers within the saga that SubscriptionRequested started: its saga id travels on.
    const requested = await h.emitted.next(
      'SubscriptionRequested',
      events.SubscriptionRequested,
      (e) => e.subscriptionId === sub.subscriptionId,
    );
    const sagaId = requested.sagaId;
    const fed = await h.accept(sub, sagaId);
    await h.processed(fed);
    expect(await h.current(reader, blog)).toMatchObject({ status: S.SUBSCRIPTION_STATUS_ACTIVE });
    const { event: activated } = await h.emitted.next(
      'SubscriptionActivated',
      events.SubscriptionActivated,
      (e) => e.subscriptionId === sub.subscriptionId,
    );
    expect(activated).toMatchObject({ ...sub, meta: { sagaId } });

    // The same record again, a second acceptance (new id) and a late rejection: all no-ops.
    await h.bus.redeliver(fed);
    await h.processed(await h.accept(sub));
    await h.processed(await h.reject(sub, 'BLOG_NOT_ACTIVE'));
    expect(await h.current(reader, blog)).toMatchObject({
      status: S.SUBSCRIPTION_STATUS_ACTIVE,
      reason: R.SUBSCRIPTION_REJECTION_REASON_UNSPECIFIED,
    });
    // Once all of it was consumed, anything it had emitted would reach the topic within the pause.
    await h.settled(AggregateTypes.blog, blog);
    await sleep(1_500);
    expect(
      h.emitted.all(
        'SubscriptionActivated',
        events.SubscriptionActivated,
        (e) => e.subscriptionId === sub.subscriptionId,
      ),
    ).toHaveLength(1);
    expect(
      h.emitted.all(
        'SubscriptionCancelled',
        events.SubscriptionCancelled,
        (e) => e.subscriptionId === sub.subscriptionId,
      ),
    ).toHaveLength(0);
  });

  it('SubscriptionRejected: PENDING -> REJECTED with the reason; a new Subscribe starts over; a late acceptance is ignored', async () => {
    const [reader, blog] = [randomUUID(), randomUUID()];
    const { subscription } = await h.client.subscribe({ subscriberId: reader, blogId: blog });
    const sub = { subscriptionId: must(subscription).subscriptionId, subscriberId: reader, blogId: blog };
    await h.processed(await h.reject(sub, 'SELF_SUBSCRIPTION'));
    expect(await h.current(reader, blog)).toMatchObject({
      subscriptionId: sub.subscriptionId,
      status: S.SUBSCRIPTION_STATUS_REJECTED,
      reason: R.SUBSCRIPTION_REJECTION_REASON_SELF_SUBSCRIPTION,
    });
    expect((await h.client.listSubscriptions({ subscriberId: reader })).items).toEqual([]);
    await expect(h.client.unsubscribe({ subscriberId: reader, blogId: blog })).rejects.toMatchObject({
      code: status.NOT_FOUND,
    });

    await h.processed(await h.accept(sub));
    expect((await h.current(reader, blog)).status).toBe(S.SUBSCRIPTION_STATUS_REJECTED);

    const retry = await h.client.subscribe({ subscriberId: reader, blogId: blog });
    expect(retry.created).toBe(true);
    expect(must(retry.subscription).subscriptionId).not.toBe(sub.subscriptionId);
    expect(await h.current(reader, blog)).toEqual(retry.subscription);
    await h.settled(AggregateTypes.blog, blog);
    expect(
      h.emitted.all(
        'SubscriptionActivated',
        events.SubscriptionActivated,
        (e) => e.subscriptionId === sub.subscriptionId,
      ),
    ).toEqual([]);
  });

  it('answers NOT_FOUND for a pair that never subscribed, and lists only PENDING and ACTIVE ones, newest first', async () => {
    const reader = randomUUID();
    await expect(
      h.client.getSubscription({ subscriberId: reader, blogId: randomUUID() }),
    ).rejects.toMatchObject({
      code: status.NOT_FOUND,
    });
    await expect(h.client.unsubscribe({ subscriberId: reader, blogId: randomUUID() })).rejects.toMatchObject({
      code: status.NOT_FOUND,
    });
    const active = await h.subscribed(randomUUID(), reader);
    const pending = must(
      (await h.client.subscribe({ subscriberId: reader, blogId: randomUUID() })).subscription,
    );
    const rejected = must(
      (await h.client.subscribe({ subscriberId: reader, blogId: randomUUID() })).subscription,
    );
    await h.processed(await h.reject(rejected, 'BLOG_NOT_FOUND'));
    const listed = (await h.client.listSubscriptions({ subscriberId: reader })).items;
    expect(listed.map((s) => [s.subscriptionId, s.status])).toEqual([
      [pending.subscriptionId, S.SUBSCRIPTION_STATUS_PENDING],
      [active.subscriptionId, S.SUBSCRIPTION_STATUS_ACTIVE],
    ]);
  });
});
