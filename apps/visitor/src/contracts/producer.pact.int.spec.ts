// visitor as a producer: every consumer's pact on events.visitor.stats is verified against the outbox row the
// visitor service's real deletion step writes on the real database, as Debezium publishes it.
import { randomUUID } from 'node:crypto';
import { AggregateTypes, events } from '@blog/proto';
import { Interactions, verifyProducer } from '@blog/testing/contracts';
import { afterAll, beforeAll, it } from 'vitest';
import { startVisitor, type VisitorHarness } from '../testing/harness';

let h: VisitorHarness;
beforeAll(async () => {
  h = await startVisitor();
});
afterAll(() => h?.stop());

it("visitor's events meet every consumer's pact", async () => {
  await verifyProducer('visitor', {
    [Interactions.visitor.blogStatsDropped]: async () => {
      const [blogId, ownerId] = [randomUUID(), randomUUID()];
      await h.client.recordView({
        viewId: randomUUID(),
        blogId,
        postId: randomUUID(),
        viewerId: 'pact-reader',
      });
      await h.bus.feed(events.BlogDeleting, 'BlogDeleting', {
        aggregateType: AggregateTypes.blog,
        aggregateId: blogId,
        data: { blogId, ownerId },
      });
      return (await h.emitted.next('BlogStatsDropped', blogId)).payload;
    },
  });
});
