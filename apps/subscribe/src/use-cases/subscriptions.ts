// Subscription use cases behind the RPCs: subscribing starts the subscribe saga (SubscriptionRequested); cancelling
// an ACTIVE subscription drops the blog from the reader's feed and tells blog (SubscriptionCancelled). Each write is
// one transaction with its event.
import { randomUUID } from 'node:crypto';
import {
  FailedPreconditionError,
  newSagaId,
  NotFoundError,
  withEvents,
  type Outbox,
  type Queryable,
  type TransactionRunner,
} from '@blog/framework';
import { SubscriptionCancelled, SubscriptionRequested } from '@blog/proto';
import { decideUnsubscribe, type Subscription } from '../domain/subscription';
import { removeBlogFromFeed } from '../repository/feed.repository';
import {
  findOpen,
  insertPending,
  latest,
  listOpen,
  transition,
} from '../repository/subscriptions.repository';

/** SubscriptionsDeps are what the subscription use cases need. */
export interface SubscriptionsDeps {
  readonly store: TransactionRunner & Queryable;
  readonly outbox: Outbox;
}

/** Pair is a reader and a blog. */
export interface Pair {
  readonly subscriberId: string;
  readonly blogId: string;
}

/** Subscriptions runs the subscription use cases. */
export class Subscriptions {
  constructor(private readonly deps: SubscriptionsDeps) {}

  /** subscribe returns the pair's open subscription, or creates a PENDING one and starts the subscribe saga. */
  subscribe(pair: Pair): Promise<{ subscription: Subscription; created: boolean }> {
    return withEvents(this.deps.store, this.deps.outbox, async ({ tx, emit }) => {
      // A concurrent Subscribe of the same pair may win the insert; its row is then the answer. The loop only
      // repeats if that row changed state in between (it is gone from PENDING/ACTIVE again).
      for (let attempt = 0; attempt < 3; attempt++) {
        const open = await findOpen(tx, pair.subscriberId, pair.blogId);
        if (open) return { subscription: open, created: false };
        const inserted = await insertPending(tx, { subscriptionId: randomUUID(), ...pair });
        if (inserted) {
          await emit(SubscriptionRequested, inserted.subscriptionId, idsOf(inserted), {
            sagaId: newSagaId(),
          });
          return { subscription: inserted, created: true };
        }
      }
      throw new Error('subscription of the pair kept changing while subscribing');
    });
  }

  /** get returns the pair's latest subscription, or NOT_FOUND. */
  async get(pair: Pair): Promise<Subscription> {
    const found = await latest(this.deps.store, pair.subscriberId, pair.blogId);
    if (!found) throw new NotFoundError('no subscription to this blog');
    return found;
  }

  /** unsubscribe cancels the pair's ACTIVE subscription; a PENDING one is locked by its saga (FAILED_PRECONDITION). */
  unsubscribe(pair: Pair): Promise<void> {
    return withEvents(this.deps.store, this.deps.outbox, async ({ tx, emit }) => {
      const open = await findOpen(tx, pair.subscriberId, pair.blogId, { lock: true });
      const decision = decideUnsubscribe(open);
      if (decision === 'not-found' || !open) throw new NotFoundError('no subscription to this blog');
      if (decision === 'locked') {
        throw new FailedPreconditionError(
          'the subscription is PENDING: wait until it is ACTIVE or REJECTED',
          {
            reason: 'SUBSCRIPTION_PENDING',
          },
        );
      }
      await transition(tx, open.subscriptionId, 'ACTIVE', 'CANCELLED');
      await removeBlogFromFeed(tx, pair.subscriberId, pair.blogId);
      const data = { ...idsOf(open), wasActive: true };
      await emit(SubscriptionCancelled, open.subscriptionId, data, { sagaId: newSagaId() });
    });
  }

  /** list returns the reader's open subscriptions. */
  list(subscriberId: string): Promise<Subscription[]> {
    return listOpen(this.deps.store, subscriberId);
  }
}

/** idsOf are the ids every subscription event carries. */
export function idsOf({ subscriptionId, subscriberId, blogId }: Pair & { subscriptionId: string }) {
  return { subscriptionId, subscriberId, blogId };
}
