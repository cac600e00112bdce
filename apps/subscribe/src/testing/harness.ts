// The subscribe service on the stack for integration tests: the service itself (ports 0), a gRPC client, a bus to
// feed blog, post and account events the way Debezium publishes them, a tap on events.subscribe.subscription, and
// SQL access to the schema for the checks RPCs cannot make (inbox rows, leftovers).
import { randomUUID } from 'node:crypto';
import {
  createClient,
  createService,
  createStore,
  StaticRegistry,
  type PgStore,
  type ServiceClient,
  type ServiceHandle,
} from '@blog/framework';
import { AggregateTypes, events, subscribe, topicFor } from '@blog/proto';
import { subscribeService, type SubscribeConfig } from '../service';
import { EventBus, serviceEnv, Tap, testLogger, waitFor, type FedEvent } from './stack';

/** BLOG_TOPIC, POST_TOPIC and ACCOUNT_TOPIC are the topics the service consumes. */
export const BLOG_TOPIC = topicFor(AggregateTypes.blog);
export const POST_TOPIC = topicFor(AggregateTypes.post);
export const ACCOUNT_TOPIC = topicFor(AggregateTypes.account);

/** Sub identifies a subscription and its two parties, as events carry them. */
export type Sub = { subscriptionId: string; subscriberId: string; blogId: string };

/** must returns a value the contract says is present (proto3 message fields are optional in TypeScript). */
export function must<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('missing field');
  return value;
}

/** sleep leaves time for anything still on its way through the outbox and Debezium. */
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let clock = Date.parse('2030-01-01T00:00:00Z');
/** nextTime hands out increasing publication times, so feed order is known. */
export const nextTime = () => new Date((clock += 1_000)).toISOString();

/** Harness is a running subscribe service with everything a test needs around it. */
export type Harness = Awaited<ReturnType<typeof startHarness>>;

/** startHarness starts the service and its test clients; stop() stops them all. */
export async function startHarness() {
  const service: ServiceHandle<SubscribeConfig> = await createService(
    subscribeService({ env: serviceEnv('SUBSCRIBE_DATABASE_URL') }),
  );
  const client: ServiceClient<typeof subscribe.SubscribeServiceService> = createClient(
    subscribe.SubscribeServiceService,
    {
      service: 'subscribe',
      registry: new StaticRegistry({ SUBSCRIBE_SERVICE_ADDR: `127.0.0.1:${service.ports.grpc}` }),
      logger: testLogger,
      deadlineMs: 15_000,
    },
  );
  const bus = await EventBus.connect();
  const out: Tap = await bus.tap([topicFor(AggregateTypes.subscription)]);
  const db: PgStore = createStore({
    connectionString: process.env.SUBSCRIBE_DATABASE_URL ?? '',
    schema: 'subscribe',
    logger: testLogger,
    max: 2,
  });

  /** processed waits until the service's consumer committed the event (its inbox row exists). */
  const processed = (fed: FedEvent) =>
    waitFor(`event ${fed.id} processed`, async () => {
      const { rowCount } = await db.query('select 1 from inbox where consumer = $1 and message_id = $2', [
        'subscribe',
        fed.id,
      ]);
      return rowCount === 1;
    });

  /** settled waits until everything fed before on `key`'s partition of `topic` was consumed, by feeding a no-op. */
  const settled = async (topic: typeof BLOG_TOPIC | typeof POST_TOPIC, key: string) => {
    const marker =
      topic === BLOG_TOPIC
        ? await bus.feed(topic, events.SubscriptionRejected, 'SubscriptionRejected', {
            key,
            data: {
              subscriptionId: randomUUID(),
              blogId: key,
              subscriberId: randomUUID(),
              reason: 'BLOG_NOT_FOUND',
            },
          })
        : await bus.feed(topic, events.PostDeleted, 'PostDeleted', {
            key,
            data: { postId: randomUUID(), blogId: randomUUID(), wasPublished: true },
          });
    await processed(marker);
  };

  const accept = (sub: Sub, sagaId?: string) =>
    bus.feed(BLOG_TOPIC, events.SubscriptionAccepted, 'SubscriptionAccepted', {
      key: sub.blogId,
      data: sub,
      sagaId,
    });
  const reject = (sub: Sub, reason: string) =>
    bus.feed(BLOG_TOPIC, events.SubscriptionRejected, 'SubscriptionRejected', {
      key: sub.blogId,
      data: { ...sub, reason },
    });
  const blogDeleting = (blogId: string, sagaId?: string) =>
    bus.feed(BLOG_TOPIC, events.BlogDeleting, 'BlogDeleting', {
      key: blogId,
      data: { blogId, ownerId: randomUUID() },
      sagaId,
    });
  const accountDeletion = (accountId: string, sagaId?: string) =>
    bus.feed(ACCOUNT_TOPIC, events.AccountDeletionRequested, 'AccountDeletionRequested', {
      key: accountId,
      data: { accountId },
      sagaId,
    });
  const publish = async (blogId: string, over: Partial<events.PostPublished> = {}) => {
    const at = nextTime();
    const post = {
      postId: randomUUID(),
      blogId,
      authorId: randomUUID(),
      title: `post ${at}`,
      tags: ['news'],
      createdAt: at,
      publishedAt: at,
      ...over,
    };
    const fed = await bus.feed(POST_TOPIC, events.PostPublished, 'PostPublished', {
      key: post.postId,
      data: post,
    });
    return { fed, post };
  };
  const updatePost = (postId: string, blogId: string, title: string, tags: string[], updatedAt: string) =>
    bus.feed(POST_TOPIC, events.PostUpdated, 'PostUpdated', {
      key: postId,
      data: { postId, blogId, title, tags, updatedAt },
    });
  const deletePost = (postId: string, blogId: string) =>
    bus.feed(POST_TOPIC, events.PostDeleted, 'PostDeleted', {
      key: postId,
      data: { postId, blogId, wasPublished: true },
    });

  const current = (subscriberId: string, blogId: string) =>
    client.getSubscription({ subscriberId, blogId }).then((r) => must(r.subscription));
  const feedIds = async (subscriberId: string) =>
    (await client.getFeed({ subscriberId, limit: 100, cursor: '' })).items.map((i) => i.postId);
  /** rowsOf counts the subscription and feed rows that still mention a reader or a blog. */
  const rowsOf = async (column: 'subscriber_id' | 'blog_id', id: string) => {
    const { rows } = await db.query<{ n: string }>(
      `select (select count(*) from subscriptions where ${column} = $1)
            + (select count(*) from feed_items where ${column} = $1) as n`,
      [id],
    );
    return Number(rows[0].n);
  };
  /** subscribed returns an ACTIVE subscription of a new reader (or `reader`) to `blogId`, through the saga. */
  const subscribed = async (blogId: string, reader: string = randomUUID()): Promise<Sub> => {
    const { subscription } = await client.subscribe({ subscriberId: reader, blogId });
    const sub = { subscriptionId: must(subscription).subscriptionId, subscriberId: reader, blogId };
    await processed(await accept(sub));
    const { status } = await current(reader, blogId);
    if (status !== subscribe.SubscriptionStatus.SUBSCRIPTION_STATUS_ACTIVE)
      throw new Error(`still ${status}`);
    return sub;
  };

  return {
    service,
    client,
    bus,
    out,
    db,
    processed,
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
    async stop() {
      client.close();
      await bus.close();
      await service.stop();
      await db.close();
    },
  };
}
