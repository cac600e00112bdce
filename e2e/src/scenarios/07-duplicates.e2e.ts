// Duplicates: every event of a finished set of sagas is read back from Kafka and produced again onto its topic,
// byte for byte (key, value, headers, hence the same event id). Once every consuming service is past the copies,
// the system reads exactly as before: no counter moved, no feed entry doubled, no state changed.
import { EventTopics } from '@blog/proto';
import type { BrokerMessage } from '@blog/framework';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventually } from '../support/eventually';
import { EventLog } from '../support/kafka/event-log';
import { expectStatus, type Member } from '../support/rest/sagas';
import { scenario, suite } from '../support/suite';

const { ctx, api, sagas } = suite();

scenario('duplicate events', ['kafka'], () => {
  let log: EventLog;
  beforeAll(async () => {
    log = await EventLog.connect(ctx.kafkaBrokers ?? [], ctx.kafkaSasl);
  });
  afterAll(async () => {
    await log?.close();
  });

  it('re-produced events change nothing', async () => {
    const [author, reader, leaver] = await Promise.all([
      sagas.member('Ea'),
      sagas.member('Er'),
      sagas.member('El'),
    ]);
    const subscription = await sagas.subscribe(reader, author.blogId);
    const cancelled = await sagas.subscribe(leaver, author.blogId);
    await sagas.unsubscribe(leaver, author.blogId);
    const post = await sagas.publish(author);
    const deleted = await sagas.publish(author);
    expectStatus(await api.delete(`/v1/posts/${deleted.postId}`, { token: author.token }), 204);
    await eventually(
      async () =>
        expect((await snapshot(author, reader, leaver)).blog).toMatchObject({
          postCount: 1,
          subscriberCount: 1,
        }),
      {
        what: 'the sagas settled',
      },
    );
    await eventually(async () =>
      expect((await sagas.feed(reader)).map((p) => p.postId)).toEqual([post.postId]),
    );
    const before = await snapshot(author, reader, leaver);

    const keys = new Set([
      author.userId,
      reader.userId,
      leaver.userId,
      author.blogId,
      post.postId,
      deleted.postId,
      subscription.subscriptionId,
      cancelled.subscriptionId,
    ]);
    const originals = (await log.readAll(EventTopics)).filter((r) => r.key !== null && keys.has(r.key));
    const types = new Set(originals.map((r) => r.headers['eventType']));
    for (const type of [
      'AccountCreated',
      'UserCreated',
      'BlogCreated',
      'PostSubmitted',
      'PostAccepted',
      'PostPublished',
      'PostDeleted',
      'SubscriptionRequested',
      'SubscriptionAccepted',
      'SubscriptionCancelled',
    ]) {
      expect(
        [...types].some((t) => t?.endsWith(type)),
        `a ${type} among ${[...types].join(', ')}`,
      ).toBe(true);
    }

    await log.reproduce(originals);
    const copies = await findCopies(log, originals);
    expect(copies).toHaveLength(originals.length);
    await log.waitConsumed(copies);

    expect(await snapshot(author, reader, leaver)).toEqual(before);
  });
});

/** findCopies reads the topics again and returns the re-produced records, checking each landed beside its original. */
async function findCopies(log: EventLog, originals: readonly BrokerMessage[]): Promise<BrokerMessage[]> {
  const at = (r: BrokerMessage) => `${r.topic}/${r.partition}/${r.offset}`;
  const original = new Map(originals.map((r) => [r.headers['id'], r]));
  const seen = new Set(originals.map(at));
  const copies = (await log.readAll(EventTopics)).filter(
    (r) => original.has(r.headers['id']) && !seen.has(at(r)),
  );
  for (const copy of copies) {
    const source = original.get(copy.headers['id']);
    expect({ topic: copy.topic, partition: copy.partition, key: copy.key }).toEqual({
      topic: source?.topic,
      partition: source?.partition,
      key: source?.key,
    });
    expect(copy.value?.equals(source?.value ?? Buffer.alloc(0))).toBe(true);
  }
  return copies;
}

/** snapshot is everything the scenario's sagas changed, as the REST API shows it. */
async function snapshot(author: Member, reader: Member, leaver: Member) {
  const status = async (path: string, token?: string) => {
    const response = await api.get(path, { token });
    return { status: response.status, body: response.body };
  };
  const blog = await sagas.blog(author.blogId);
  return {
    blog: { postCount: blog.postCount, subscriberCount: blog.subscriberCount, status: blog.status },
    accounts: await Promise.all([author, reader, leaver].map((m) => status(`/v1/accounts/${m.userId}`))),
    profiles: await Promise.all([author, reader, leaver].map((m) => status(`/v1/users/${m.userId}`))),
    posts: await sagas.blogPosts(author.blogId),
    feed: await sagas.feed(reader),
    leaverFeed: await sagas.feed(leaver),
    subscriptions: await Promise.all(
      [reader, leaver].map((m) => status(`/v1/blogs/${author.blogId}/subscription`, m.token)),
    ),
    mine: await Promise.all([reader, leaver].map((m) => status('/v1/users/me/subscriptions', m.token))),
  };
}
