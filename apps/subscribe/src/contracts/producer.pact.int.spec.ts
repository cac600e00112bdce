// subscribe as a producer: every consumer's pact on events.subscribe.subscription is verified against the outbox rows
// the subscribe service's real use cases and handlers write (Subscribe, Unsubscribe, the deletion steps on the real
// database), as Debezium publishes them.
import { randomUUID } from 'node:crypto';
import { must } from '@blog/testing';
import { Interactions, verifyProducer } from '@blog/testing/contracts';
import { afterAll, beforeAll, it } from 'vitest';
import { startHarness, type Harness } from '../testing/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.stop());

it("subscribe's events meet every consumer's pact", async () => {
  await verifyProducer('subscribe', {
    [Interactions.subscribe.subscriptionRequested]: async () => {
      const { subscription } = await h.client.subscribe({ subscriberId: randomUUID(), blogId: randomUUID() });
      return (await h.emitted.next('SubscriptionRequested', must(subscription).subscriptionId)).payload;
    },
    [Interactions.subscribe.subscriptionCancelled]: async () => {
      const sub = await h.subscribed(randomUUID());
      await h.client.unsubscribe({ subscriberId: sub.subscriberId, blogId: sub.blogId });
      return (await h.emitted.next('SubscriptionCancelled', sub.subscriptionId)).payload;
    },
    [Interactions.subscribe.accountSubscriptionsCancelled]: async () => {
      const sub = await h.subscribed(randomUUID());
      await h.accountDeletion(sub.subscriberId);
      return (await h.emitted.next('AccountSubscriptionsCancelled', sub.subscriberId)).payload;
    },
    [Interactions.subscribe.blogSubscriptionsCancelled]: async () => {
      const sub = await h.subscribed(randomUUID());
      await h.blogDeleting(sub.blogId);
      return (await h.emitted.next('BlogSubscriptionsCancelled', sub.blogId)).payload;
    },
  });
});
