import { randomUUID } from 'node:crypto';
import { createLogger, InvalidArgumentError, type RequestContext } from '@blog/framework';
import { describe, expect, it } from 'vitest';
import { subscribeHandlers } from './server';
import { FeedTail } from './streams/feed-tail';
import { Feeds } from './use-cases/feeds';
import { Subscriptions } from './use-cases/subscriptions';

// No database in unit tests: every handler must reject a bad request before touching the store.
const untouchable = {
  query: () => Promise.reject(new Error('the store was used')),
  withTransaction: () => Promise.reject(new Error('the store was used')),
};
const tail = new FeedTail(
  untouchable,
  1000,
  createLogger({ service: 'subscribe', version: '0', level: 'silent' }),
);
const handlers = subscribeHandlers({
  subscriptions: new Subscriptions({
    store: untouchable,
    outbox: { add: () => Promise.reject(new Error('the outbox was used')) },
  }),
  feeds: new Feeds({ store: untouchable, tail }),
});
const ctx = {} as RequestContext;

async function fields(call: () => unknown): Promise<string[]> {
  const error = await Promise.resolve()
    .then(call)
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  expect(error).toBeInstanceOf(InvalidArgumentError);
  return (error as InvalidArgumentError).violations.map((v) => v.field);
}

describe('SubscribeService handlers: validation', () => {
  it('names each malformed id', async () => {
    expect(await fields(() => handlers.subscribe({ subscriberId: 'x', blogId: '' }, ctx))).toEqual([
      'subscriberId',
      'blogId',
    ]);
    expect(
      await fields(() => handlers.getSubscription({ subscriberId: randomUUID(), blogId: 'b' }, ctx)),
    ).toEqual(['blogId']);
    expect(await fields(() => handlers.unsubscribe({ subscriberId: '', blogId: randomUUID() }, ctx))).toEqual(
      ['subscriberId'],
    );
    expect(await fields(() => handlers.listSubscriptions({ subscriberId: 'nope' }, ctx))).toEqual([
      'subscriberId',
    ]);
  });

  it('names `limit` outside 1..100 and `cursor` that is not ours', async () => {
    const subscriberId = randomUUID();
    expect(await fields(() => handlers.getFeed({ subscriberId, limit: 101, cursor: '' }, ctx))).toEqual([
      'limit',
    ]);
    expect(await fields(() => handlers.getFeed({ subscriberId, limit: -1, cursor: '' }, ctx))).toEqual([
      'limit',
    ]);
    expect(await fields(() => handlers.getFeed({ subscriberId, limit: 10, cursor: 'garbage' }, ctx))).toEqual(
      ['cursor'],
    );
  });

  it('names a StreamFeed `after` that is not an event id, before the stream starts', async () => {
    const subscriberId = randomUUID();
    for (const after of ['abc', '-1', '01', '1.5', '1'.repeat(19)]) {
      expect(await fields(() => handlers.streamFeed({ subscriberId, after }, ctx))).toEqual(['after']);
    }
    expect(await fields(() => handlers.streamFeed({ subscriberId: 'x', after: '' }, ctx))).toEqual([
      'subscriberId',
    ]);
  });
});
