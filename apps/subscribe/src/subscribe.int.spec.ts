// The subscribe service on the stack: real gRPC calls; every saga step fed through Kafka the way Debezium publishes
// (blog, post and account events), the state checked through RPCs and SQL, and the emitted events read back from
// events.subscribe.subscription after the real outbox -> Debezium path.
import { randomUUID } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import {
  createClient,
  createService,
  createStore,
  StaticRegistry,
  type PgStore,
  type ServiceClient,
  type ServiceHandle,
} from '@blog/framework';
import { AggregateTypes, events, post, subscribe, topicFor } from '@blog/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subscribeService, type SubscribeConfig } from './service';
import { EventBus, serviceEnv, Tap, testLogger, waitFor, type FedEvent } from './testing/stack';

const { SubscriptionStatus: S, SubscriptionRejectionReason: R } = subscribe;
const BLOG_TOPIC = topicFor(AggregateTypes.blog);
const POST_TOPIC = topicFor(AggregateTypes.post);
const ACCOUNT_TOPIC = topicFor(AggregateTypes.account);

let service: ServiceHandle<SubscribeConfig>;
let client: ServiceClient<typeof subscribe.SubscribeServiceService>;
let bus: EventBus;
let out: Tap;
let db: PgStore;

beforeAll(async () => {
  service = await createService(subscribeService({ env: serviceEnv('SUBSCRIBE_DATABASE_URL') }));
  client = createClient(subscribe.SubscribeServiceService, {
    service: 'subscribe',
    registry: new StaticRegistry({ SUBSCRIBE_SERVICE_ADDR: `127.0.0.1:${service.ports.grpc}` }),
    logger: testLogger,
    deadlineMs: 15_000,
  });
  bus = await EventBus.connect();
  out = await bus.tap([topicFor(AggregateTypes.subscription)]);
  db = createStore({
    connectionString: process.env.SUBSCRIBE_DATABASE_URL ?? '',
    schema: 'subscribe',
    logger: testLogger,
    max: 2,
  });
});
afterAll(async () => {
  client?.close();
  await bus?.close();
  await service?.stop();
  await db?.close();
});

/** must returns a value the contract says is present (proto3 message fields are optional in TypeScript). */
function must<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('missing field');
  return value;
}

// ---- feeding events ------------------------------------------------------------------------------------------------

type Sub = { subscriptionId: string; subscriberId: string; blogId: string };

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
async function settled(topic: string, key: string): Promise<void> {
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
}

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

let clock = Date.parse('2030-01-01T00:00:00Z');
/** nextTime hands out increasing publication times, so feed order is known. */
const nextTime = () => new Date((clock += 1_000)).toISOString();

const publish = (blogId: string, over: Partial<events.PostPublished> = {}) => {
  const at = nextTime();
  const data = {
    postId: randomUUID(),
    blogId,
    authorId: randomUUID(),
    title: `post ${at}`,
    tags: ['news'],
    createdAt: at,
    publishedAt: at,
    ...over,
  };
  return bus
    .feed(POST_TOPIC, events.PostPublished, 'PostPublished', { key: data.postId, data })
    .then((fed) => ({
      fed,
      post: data,
    }));
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

/** sleep leaves time for anything still on its way through the outbox and Debezium. */
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---- reading state -------------------------------------------------------------------------------------------------

const current = (subscriberId: string, blogId: string) =>
  client.getSubscription({ subscriberId, blogId }).then((r) => must(r.subscription));
const feedIds = async (subscriberId: string) =>
  (await client.getFeed({ subscriberId, limit: 100, cursor: '' })).items.map((i) => i.postId);
const emitted = <T>(type: string, decoder: { fromJSON(o: unknown): T }, where: (e: T) => boolean) =>
  out.events(type, decoder, where);
const rowsOf = async (column: 'subscriber_id' | 'blog_id', id: string) => {
  const { rows } = await db.query<{ n: string }>(
    `select (select count(*) from subscriptions where ${column} = $1) + (select count(*) from feed_items where ${column} = $1) as n`,
    [id],
  );
  return Number(rows[0].n);
};

/** subscribed returns an ACTIVE subscription of a new reader (or `reader`) to `blogId`, through the saga. */
async function subscribed(blogId: string, reader: string = randomUUID()): Promise<Sub> {
  const { subscription } = await client.subscribe({ subscriberId: reader, blogId });
  const sub = { subscriptionId: must(subscription).subscriptionId, subscriberId: reader, blogId };
  await processed(await accept(sub));
  expect((await current(reader, blogId)).status).toBe(S.SUBSCRIPTION_STATUS_ACTIVE);
  return sub;
}

// ---- the tests -----------------------------------------------------------------------------------------------------

describe('Subscribe and the subscribe saga', () => {
  it('creates a PENDING subscription once, answers it again, and emits SubscriptionRequested', async () => {
    const [reader, blog] = [randomUUID(), randomUUID()];
    const first = await client.subscribe({ subscriberId: reader, blogId: blog });
    expect(first.created).toBe(true);
    expect(first.subscription).toMatchObject({
      subscriberId: reader,
      blogId: blog,
      status: S.SUBSCRIPTION_STATUS_PENDING,
    });
    const again = await client.subscribe({ subscriberId: reader, blogId: blog });
    expect(again).toEqual({ subscription: first.subscription, created: false });
    expect(await current(reader, blog)).toEqual(first.subscription);
    expect((await client.listSubscriptions({ subscriberId: reader })).items).toEqual([first.subscription]);
    // PENDING is the saga's semantic lock.
    await expect(client.unsubscribe({ subscriberId: reader, blogId: blog })).rejects.toMatchObject({
      code: status.FAILED_PRECONDITION,
    });

    const id = must(first.subscription).subscriptionId;
    const requested = await out.next(
      'SubscriptionRequested',
      events.SubscriptionRequested,
      (e) => e.subscriptionId === id,
    );
    expect(requested).toMatchObject({ subscriptionId: id, subscriberId: reader, blogId: blog });
    const [record] = out.recordsOf('SubscriptionRequested', (p) => p.subscriptionId === id);
    expect(record.key).toBe(id);
    expect(record.headers.sagaId).toMatch(/^[0-9a-f-]{36}$/);
    expect(requested.meta?.sagaId).toBe(record.headers.sagaId);
  });

  it('answers eight simultaneous Subscribe calls with one subscription, created once', async () => {
    const [reader, blog] = [randomUUID(), randomUUID()];
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => client.subscribe({ subscriberId: reader, blogId: blog })),
    );
    expect(answers.filter((a) => a.created)).toHaveLength(1);
    expect(new Set(answers.map((a) => a.must(subscription).subscriptionId)).size).toBe(1);
    const { rows } = await db.query('select 1 from subscriptions where subscriber_id = $1 and blog_id = $2', [
      reader,
      blog,
    ]);
    expect(rows).toHaveLength(1);
  });

  it('SubscriptionAccepted: PENDING -> ACTIVE and SubscriptionActivated with the saga id; repeats change nothing', async () => {
    const [reader, blog] = [randomUUID(), randomUUID()];
    const { subscription } = await client.subscribe({ subscriberId: reader, blogId: blog });
    const sub = { subscriptionId: must(subscription).subscriptionId, subscriberId: reader, blogId: blog };
    const [requested] = out.recordsOf(
      'SubscriptionRequested',
      (p) => p.subscriptionId === sub.subscriptionId,
    );
    const sagaId = requested?.headers.sagaId ?? randomUUID();
    const fed = await accept(sub, sagaId);
    await processed(fed);
    expect(await current(reader, blog)).toMatchObject({ status: S.SUBSCRIPTION_STATUS_ACTIVE });
    const activated = await out.next(
      'SubscriptionActivated',
      events.SubscriptionActivated,
      (e) => e.subscriptionId === sub.subscriptionId,
    );
    expect(activated).toMatchObject({ ...sub, meta: { sagaId } });

    // The same record again, a second acceptance (new id) and a late rejection: all no-ops.
    await bus.redeliver(BLOG_TOPIC, fed);
    await processed(await accept(sub));
    await processed(await reject(sub, 'BLOG_NOT_ACTIVE'));
    expect(await current(reader, blog)).toMatchObject({
      status: S.SUBSCRIPTION_STATUS_ACTIVE,
      reason: R.SUBSCRIPTION_REJECTION_REASON_UNSPECIFIED,
    });
    // Wait for the marker's own output to be sure nothing more was emitted for this subscription meanwhile.
    await settled(BLOG_TOPIC, blog);
    await sleep(1_500);
    expect(
      emitted(
        'SubscriptionActivated',
        events.SubscriptionActivated,
        (e) => e.subscriptionId === sub.subscriptionId,
      ),
    ).toHaveLength(1);
    expect(
      emitted(
        'SubscriptionCancelled',
        events.SubscriptionCancelled,
        (e) => e.subscriptionId === sub.subscriptionId,
      ),
    ).toHaveLength(0);
  });

  it('SubscriptionRejected: PENDING -> REJECTED with the reason; a new Subscribe starts over; a late acceptance is ignored', async () => {
    const [reader, blog] = [randomUUID(), randomUUID()];
    const { subscription } = await client.subscribe({ subscriberId: reader, blogId: blog });
    const sub = { subscriptionId: must(subscription).subscriptionId, subscriberId: reader, blogId: blog };
    await processed(await reject(sub, 'SELF_SUBSCRIPTION'));
    expect(await current(reader, blog)).toMatchObject({
      subscriptionId: sub.subscriptionId,
      status: S.SUBSCRIPTION_STATUS_REJECTED,
      reason: R.SUBSCRIPTION_REJECTION_REASON_SELF_SUBSCRIPTION,
    });
    expect((await client.listSubscriptions({ subscriberId: reader })).items).toEqual([]);
    await expect(client.unsubscribe({ subscriberId: reader, blogId: blog })).rejects.toMatchObject({
      code: status.NOT_FOUND,
    });

    await processed(await accept(sub));
    expect((await current(reader, blog)).status).toBe(S.SUBSCRIPTION_STATUS_REJECTED);

    const retry = await client.subscribe({ subscriberId: reader, blogId: blog });
    expect(retry.created).toBe(true);
    expect(retry.must(subscription).subscriptionId).not.toBe(sub.subscriptionId);
    expect(await current(reader, blog)).toEqual(retry.subscription);
    await settled(BLOG_TOPIC, blog);
    expect(
      emitted(
        'SubscriptionActivated',
        events.SubscriptionActivated,
        (e) => e.subscriptionId === sub.subscriptionId,
      ),
    ).toEqual([]);
  });

  it('answers NOT_FOUND for a pair that never subscribed, and lists only PENDING and ACTIVE ones, newest first', async () => {
    const reader = randomUUID();
    await expect(
      client.getSubscription({ subscriberId: reader, blogId: randomUUID() }),
    ).rejects.toMatchObject({
      code: status.NOT_FOUND,
    });
    await expect(client.unsubscribe({ subscriberId: reader, blogId: randomUUID() })).rejects.toMatchObject({
      code: status.NOT_FOUND,
    });
    const active = await subscribed(randomUUID(), reader);
    const pending = must(
      (await client.subscribe({ subscriberId: reader, blogId: randomUUID() })).subscription,
    );
    const rejected = must(
      (await client.subscribe({ subscriberId: reader, blogId: randomUUID() })).subscription,
    );
    await processed(await reject(rejected, 'BLOG_NOT_FOUND'));
    const listed = (await client.listSubscriptions({ subscriberId: reader })).items;
    expect(listed.map((s) => [s.subscriptionId, s.status])).toEqual([
      [pending.subscriptionId, S.SUBSCRIPTION_STATUS_PENDING],
      [active.subscriptionId, S.SUBSCRIPTION_STATUS_ACTIVE],
    ]);
  });
});

describe('the feed', () => {
  it('gets posts published after the subscription became ACTIVE, refreshed by updates, paged newest first', async () => {
    const blog = randomUUID();
    const reader = await subscribed(blog);
    const pendingReader = randomUUID();
    await client.subscribe({ subscriberId: pendingReader, blogId: blog });
    const other = await subscribed(randomUUID());

    const posts = [];
    for (let i = 0; i < 5; i++) posts.push(await publish(blog, { tags: [`t${i}`] }));
    for (const { fed } of posts) await processed(fed);
    const newestFirst = posts.map((p) => p.post.postId).reverse();
    expect(await feedIds(reader.subscriberId)).toEqual(newestFirst);
    expect(await feedIds(pendingReader)).toEqual([]);
    expect(await feedIds(other.subscriberId)).toEqual([]);

    const firstPage = await client.getFeed({ subscriberId: reader.subscriberId, limit: 2, cursor: '' });
    expect(firstPage.items.map((i) => i.postId)).toEqual(newestFirst.slice(0, 2));
    expect(firstPage.items[0]).toEqual({
      postId: posts[4].post.postId,
      blogId: blog,
      authorId: posts[4].post.authorId,
      title: posts[4].post.title,
      tags: ['t4'],
      status: post.PostStatus.POST_STATUS_PUBLISHED,
      createdAt: posts[4].post.createdAt,
      updatedAt: posts[4].post.publishedAt,
    });
    const second = await client.getFeed({
      subscriberId: reader.subscriberId,
      limit: 2,
      cursor: firstPage.nextCursor,
    });
    const third = await client.getFeed({
      subscriberId: reader.subscriberId,
      limit: 2,
      cursor: second.nextCursor,
    });
    expect([...second.items, ...third.items].map((i) => i.postId)).toEqual(newestFirst.slice(2));
    expect(third.nextCursor).toBe('');
    expect(
      (await client.getFeed({ subscriberId: reader.subscriberId, limit: 0, cursor: '' })).items,
    ).toHaveLength(5);
    await expect(
      client.getFeed({ subscriberId: reader.subscriberId, limit: 2, cursor: 'bm90LWEtY3Vyc29y' }),
    ).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });

    // An edit refreshes the copy; an older edit arriving late does not undo it.
    const target = posts[2].post;
    const later = nextTime();
    await processed(await updatePost(target.postId, blog, 'edited', ['fresh'], later));
    await processed(await updatePost(target.postId, blog, 'stale', ['old'], target.publishedAt));
    const edited = (
      await client.getFeed({ subscriberId: reader.subscriberId, limit: 100, cursor: '' })
    ).items.find((i) => i.postId === target.postId);
    expect(edited).toMatchObject({ title: 'edited', tags: ['fresh'], updatedAt: later });
  });

  it('drops a deleted post from every feed; a redelivered PostPublished does not bring it back', async () => {
    const blog = randomUUID();
    const [a, b] = [await subscribed(blog), await subscribed(blog)];
    const { fed, post: p } = await publish(blog);
    await processed(fed);
    expect(await feedIds(a.subscriberId)).toEqual([p.postId]);
    expect(await feedIds(b.subscriberId)).toEqual([p.postId]);
    await processed(await deletePost(p.postId, blog));
    expect(await feedIds(a.subscriberId)).toEqual([]);
    expect(await feedIds(b.subscriberId)).toEqual([]);
    await bus.redeliver(POST_TOPIC, fed);
    await settled(POST_TOPIC, p.postId);
    expect(await feedIds(a.subscriberId)).toEqual([]);
    // Updates and deletions of posts no feed holds are no-ops.
    await processed(await updatePost(randomUUID(), blog, 'x', [], nextTime()));
    await processed(await deletePost(randomUUID(), blog));
  });

  it("Unsubscribe: ACTIVE -> CANCELLED, the blog's posts leave the reader's feed, SubscriptionCancelled{wasActive}", async () => {
    const [blog, otherBlog] = [randomUUID(), randomUUID()];
    const sub = await subscribed(blog);
    await subscribed(otherBlog, sub.subscriberId);
    const kept = await publish(otherBlog);
    const gone = await publish(blog);
    await processed(kept.fed);
    await processed(gone.fed);
    expect(await feedIds(sub.subscriberId)).toEqual([gone.post.postId, kept.post.postId]);

    await client.unsubscribe({ subscriberId: sub.subscriberId, blogId: blog });
    expect(await current(sub.subscriberId, blog)).toMatchObject({ status: S.SUBSCRIPTION_STATUS_CANCELLED });
    expect(await feedIds(sub.subscriberId)).toEqual([kept.post.postId]);
    expect(
      (await client.listSubscriptions({ subscriberId: sub.subscriberId })).items.map((s) => s.blogId),
    ).toEqual([otherBlog]);
    const cancelled = await out.next(
      'SubscriptionCancelled',
      events.SubscriptionCancelled,
      (e) => e.subscriptionId === sub.subscriptionId,
    );
    expect(cancelled).toMatchObject({ ...sub, wasActive: true });
    await expect(client.unsubscribe({ subscriberId: sub.subscriberId, blogId: blog })).rejects.toMatchObject({
      code: status.NOT_FOUND,
    });
    // Posts published after the cancellation do not reach the reader.
    const after = await publish(blog);
    await processed(after.fed);
    expect(await feedIds(sub.subscriberId)).toEqual([kept.post.postId]);
  });
});

describe('the deletion saga', () => {
  it("AccountDeletionRequested removes the account's subscriptions and feed, cancels the ACTIVE ones, reports", async () => {
    const account = randomUUID();
    const sagaId = randomUUID();
    const active = await subscribed(randomUUID(), account);
    const pendingSub = (await client.subscribe({ subscriberId: account, blogId: randomUUID() }))
      .subscription!;
    const pending = {
      subscriptionId: pendingSub.subscriptionId,
      subscriberId: account,
      blogId: pendingSub.blogId,
    };
    const rejectedSub = (await client.subscribe({ subscriberId: account, blogId: randomUUID() }))
      .subscription!;
    await processed(await reject(rejectedSub, 'BLOG_NOT_ACTIVE'));
    await processed((await publish(active.blogId)).fed);
    const bystander = await subscribed(active.blogId);
    expect(await rowsOf('subscriber_id', account)).toBe(4);

    const fed = await accountDeletion(account, sagaId);
    const report = await out.next(
      'AccountSubscriptionsCancelled',
      events.AccountSubscriptionsCancelled,
      (e) => e.accountId === account,
    );
    expect(report).toMatchObject({ accountId: account, cancelledCount: 2, meta: { sagaId } });
    expect(await rowsOf('subscriber_id', account)).toBe(0);
    const cancelled = emitted(
      'SubscriptionCancelled',
      events.SubscriptionCancelled,
      (e) => e.subscriberId === account,
    );
    expect(cancelled).toEqual([
      expect.objectContaining({ ...active, wasActive: true, meta: expect.objectContaining({ sagaId }) }),
    ]);
    await expect(
      client.getSubscription({ subscriberId: account, blogId: active.blogId }),
    ).rejects.toMatchObject({
      code: status.NOT_FOUND,
    });
    // Another reader of the same blog keeps everything.
    expect((await current(bystander.subscriberId, active.blogId)).status).toBe(S.SUBSCRIPTION_STATUS_ACTIVE);

    // The blog accepts the PENDING one after all: it counted a subscriber nobody will cancel, so subscribe does.
    await processed(await accept(pending));
    const compensation = await out.next(
      'SubscriptionCancelled',
      events.SubscriptionCancelled,
      (e) => e.subscriptionId === pending.subscriptionId,
    );
    expect(compensation).toMatchObject({ ...pending, wasActive: true });
    expect(await rowsOf('subscriber_id', account)).toBe(0);
    // A second acceptance of it, and the deletion event redelivered: nothing more.
    await processed(await accept(pending));
    await bus.redeliver(ACCOUNT_TOPIC, fed);
    await settled(BLOG_TOPIC, pending.blogId);
    await sleep(1_500);
    expect(
      emitted('SubscriptionCancelled', events.SubscriptionCancelled, (e) => e.subscriberId === account),
    ).toHaveLength(2);
    expect(
      emitted(
        'AccountSubscriptionsCancelled',
        events.AccountSubscriptionsCancelled,
        (e) => e.accountId === account,
      ),
    ).toHaveLength(1);
  });

  it('an acceptance of a subscription this service never had is ignored, not compensated', async () => {
    const stranger = { subscriptionId: randomUUID(), subscriberId: randomUUID(), blogId: randomUUID() };
    await processed(await accept(stranger));
    await sleep(1_500);
    expect(
      emitted(
        'SubscriptionCancelled',
        events.SubscriptionCancelled,
        (e) => e.subscriptionId === stranger.subscriptionId,
      ),
    ).toEqual([]);
  });

  it('BlogDeleting removes every subscription to the blog and its feed rows, with no SubscriptionCancelled, and reports', async () => {
    const [blog, otherBlog, sagaId] = [randomUUID(), randomUUID(), randomUUID()];
    const a = await subscribed(blog);
    const b = await subscribed(blog);
    const pending = must((await client.subscribe({ subscriberId: randomUUID(), blogId: blog })).subscription);
    await subscribed(otherBlog, a.subscriberId);
    const ofBlog = await publish(blog);
    const ofOther = await publish(otherBlog);
    await processed(ofBlog.fed);
    await processed(ofOther.fed);
    expect(await rowsOf('blog_id', blog)).toBe(5);

    const fed = await blogDeleting(blog, sagaId);
    const report = await out.next(
      'BlogSubscriptionsCancelled',
      events.BlogSubscriptionsCancelled,
      (e) => e.blogId === blog,
    );
    expect(report).toMatchObject({ blogId: blog, cancelledCount: 3, meta: { sagaId } });
    const [record] = out.recordsOf('BlogSubscriptionsCancelled', (p) => p.blogId === blog);
    expect(record.key).toBe(blog);
    expect(await rowsOf('blog_id', blog)).toBe(0);
    expect(await feedIds(a.subscriberId)).toEqual([ofOther.post.postId]);
    await expect(
      client.getSubscription({ subscriberId: b.subscriberId, blogId: blog }),
    ).rejects.toMatchObject({
      code: status.NOT_FOUND,
    });
    // A post of the deleted blog published late reaches nobody; the deletion redelivered reports nothing more.
    await processed((await publish(blog)).fed);
    await bus.redeliver(BLOG_TOPIC, fed);
    await settled(BLOG_TOPIC, blog);
    await sleep(1_500);
    expect(await rowsOf('blog_id', blog)).toBe(0);
    expect(
      emitted('BlogSubscriptionsCancelled', events.BlogSubscriptionsCancelled, (e) => e.blogId === blog),
    ).toHaveLength(1);
    const ids = [a.subscriptionId, b.subscriptionId, pending.subscriptionId];
    expect(
      emitted('SubscriptionCancelled', events.SubscriptionCancelled, (e) => ids.includes(e.subscriptionId)),
    ).toEqual([]);
  });
});
