// The subscribe service on the stack for integration tests (see @blog/testing startOnStack): the service with its
// client, bus, tap on events.subscribe.subscription (`emitted`) and store, plus the blog, post and account events it
// consumes, fed as their producers emit them, and the checks RPCs cannot make (leftover rows).
import { randomUUID } from 'node:crypto';
import { AggregateTypes, events, subscribe } from '@blog/proto';
import { must, startOnStack } from '@blog/testing';
import { subscribeService } from '../service';

/** Sub identifies a subscription and its two parties, as events carry them. */
export type Sub = { subscriptionId: string; subscriberId: string; blogId: string };

let clock = Date.parse('2030-01-01T00:00:00Z');
/** nextTime hands out increasing publication times, so feed order is known. */
export const nextTime = () => new Date((clock += 1_000)).toISOString();

/** Harness is a running subscribe service with everything a test needs around it. */
export type Harness = Awaited<ReturnType<typeof startHarness>>;

/** startHarness starts the service and its test clients; stop() stops them all. */
export async function startHarness() {
  const h = await startOnStack({
    service: subscribeService,
    definition: subscribe.SubscribeServiceService,
    schema: 'subscribe',
    emits: [AggregateTypes.subscription],
  });
  const { blog, post, account } = AggregateTypes;
  /** settled waits until everything fed before on `key`'s partition of a topic was consumed, by feeding a no-op. */
  const settled = async (on: typeof blog | typeof post, key: string) => {
    const marker =
      on === blog
        ? await h.bus.feed(events.SubscriptionRejected, 'SubscriptionRejected', {
            aggregateType: on,
            aggregateId: key,
            data: {
              subscriptionId: randomUUID(),
              blogId: key,
              subscriberId: randomUUID(),
              reason: 'BLOG_NOT_FOUND',
            },
          })
        : await h.bus.feed(events.PostDeleted, 'PostDeleted', {
            aggregateType: on,
            aggregateId: key,
            data: { postId: randomUUID(), blogId: randomUUID(), wasPublished: true },
          });
    await h.processed(marker);
  };

  const accept = (sub: Sub, sagaId?: string) =>
    h.bus.feed(events.SubscriptionAccepted, 'SubscriptionAccepted', {
      aggregateType: blog,
      aggregateId: sub.blogId,
      data: sub,
      sagaId,
    });
  const reject = (sub: Sub, reason: string) =>
    h.bus.feed(events.SubscriptionRejected, 'SubscriptionRejected', {
      aggregateType: blog,
      aggregateId: sub.blogId,
      data: { ...sub, reason },
    });
  const blogDeleting = (blogId: string, sagaId?: string) =>
    h.bus.feed(events.BlogDeleting, 'BlogDeleting', {
      aggregateType: blog,
      aggregateId: blogId,
      data: { blogId, ownerId: randomUUID() },
      sagaId,
    });
  const accountDeletion = (accountId: string, sagaId?: string) =>
    h.bus.feed(events.AccountDeletionRequested, 'AccountDeletionRequested', {
      aggregateType: account,
      aggregateId: accountId,
      data: { accountId },
      sagaId,
    });
  const publish = async (blogId: string, over: Partial<events.PostPublished> = {}) => {
    const at = nextTime();
    const published = {
      postId: randomUUID(),
      blogId,
      authorId: randomUUID(),
      title: `post ${at}`,
      tags: ['news'],
      createdAt: at,
      publishedAt: at,
      ...over,
    };
    const fed = await h.bus.feed(events.PostPublished, 'PostPublished', {
      aggregateType: post,
      aggregateId: published.postId,
      data: published,
    });
    return { fed, post: published };
  };
  const updatePost = (postId: string, blogId: string, title: string, tags: string[], updatedAt: string) =>
    h.bus.feed(events.PostUpdated, 'PostUpdated', {
      aggregateType: post,
      aggregateId: postId,
      data: { postId, blogId, title, tags, updatedAt },
    });
  const deletePost = (postId: string, blogId: string) =>
    h.bus.feed(events.PostDeleted, 'PostDeleted', {
      aggregateType: post,
      aggregateId: postId,
      data: { postId, blogId, wasPublished: true },
    });

  const current = (subscriberId: string, blogId: string) =>
    h.client.getSubscription({ subscriberId, blogId }).then((r) => must(r.subscription, 'the subscription'));
  const feedIds = async (subscriberId: string) =>
    (await h.client.getFeed({ subscriberId, limit: 100, cursor: '' })).items.map((i) => i.postId);
  /** rowsOf counts the subscription and feed rows that still mention a reader or a blog. */
  const rowsOf = async (column: 'subscriber_id' | 'blog_id', id: string) => {
    const { rows } = await h.store.query<{ n: string }>(
      `select (select count(*) from subscriptions where ${column} = $1)
            + (select count(*) from feed_items where ${column} = $1) as n`,
      [id],
    );
    return Number(rows[0].n);
  };
  /** subscribed returns an ACTIVE subscription of a new reader (or `reader`) to `blogId`, through the saga. */
  const subscribed = async (blogId: string, reader: string = randomUUID()): Promise<Sub> => {
    const { subscription } = await h.client.subscribe({ subscriberId: reader, blogId });
    const sub = { subscriptionId: must(subscription).subscriptionId, subscriberId: reader, blogId };
    await h.processed(await accept(sub));
    const { status } = await current(reader, blogId);
    if (status !== subscribe.SubscriptionStatus.SUBSCRIPTION_STATUS_ACTIVE)
      throw new Error(`still ${status}`);
    return sub;
  };

  return {
    ...h,
    settled,
    accept,
    reject,
    blogDeleting,
    accountDeletion,
    publish,
    updatePost,
    deletePost,
    current,
    feedIds,
    rowsOf,
    subscribed,
  };
}
