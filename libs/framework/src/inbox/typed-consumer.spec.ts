// Typed events through the consumer, on the in-memory broker: topics derived from the handlers, `emit` carrying the
// saga on, and a payload that breaks its descriptor dead-lettered at once, naming the field, the handler never run.
import { randomUUID } from 'node:crypto';
import { AccountCreated, BlogCreated, events, UserCreated, type EventData } from '@blog/proto';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryBroker } from '../broker';
import type { Outbox, OutboxEvent } from '../outbox';
import type { Transaction, TransactionRunner } from '../store';
import { createInboxConsumer, type InboxConsumer } from './consumer';
import { DlqHeaders, type Inbox } from './inbox';

/** Recorder is a store, inbox and outbox in memory (commit semantics are consumer.spec.ts's business). */
class Recorder implements TransactionRunner, Inbox, Outbox {
  readonly events: OutboxEvent[] = [];
  readonly claimed = new Set<string>();
  withTransaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    return fn({ query: async () => ({ rows: [], rowCount: 0 }) });
  }
  async claim(_tx: Transaction, consumer: string, id: string): Promise<boolean> {
    const key = `${consumer}/${id}`;
    if (this.claimed.has(key)) return false;
    this.claimed.add(key);
    return true;
  }
  async add(_tx: Transaction, event: OutboxEvent): Promise<string> {
    this.events.push(event);
    return event.id ?? 'id';
  }
}

const logger = pino({ level: 'silent' });

function accountCreated(data: EventData<events.AccountCreated>, headers: Record<string, string> = {}) {
  const value = events.AccountCreated.toJSON(events.AccountCreated.fromPartial(data));
  return {
    key: data.accountId,
    value: Buffer.from(JSON.stringify(value)),
    headers: { id: randomUUID(), eventType: 'AccountCreated', ...headers },
  };
}

describe('a consumer of typed events', () => {
  let broker: MemoryBroker;
  let db: Recorder;
  let consumer: InboxConsumer;
  let handled: events.AccountCreated[];

  beforeEach(async () => {
    broker = new MemoryBroker({ partitions: 1, redeliveryDelayMs: 1 });
    await broker.start();
    db = new Recorder();
    handled = [];
    consumer = createInboxConsumer({
      name: 'user',
      broker,
      store: db,
      inbox: db,
      outbox: db,
      logger,
      retry: { attempts: 5, initialDelayMs: 1, maxDelayMs: 1 },
    })
      .on(AccountCreated, async (event, { emit }) => {
        handled.push(event);
        await emit(UserCreated, event.accountId, {
          userId: event.accountId,
          nickname: event.nickname,
          blogSlug: event.blogSlug,
        });
      })
      .on(BlogCreated, async () => undefined);
    await consumer.start();
  });
  afterEach(() => broker.stop());

  it('reads the topics of the events it handles, and no other', () => {
    expect(consumer.topics.sort()).toEqual(['events.auth.account', 'events.blog.blog']);
  });

  it('hands the decoded event to the handler, whose emit carries the saga on', async () => {
    const accountId = randomUUID();
    await broker.publish(AccountCreated.topic, [
      accountCreated({ accountId, nickname: 'ada_l', blogSlug: 'ada-l' }, { sagaId: 'saga-1' }),
    ]);
    await broker.idle();

    expect(handled.map((e) => e.accountId)).toEqual([accountId]);
    const [out] = db.events;
    expect(out).toMatchObject({
      aggregateType: 'user.profile',
      aggregateId: accountId,
      type: 'UserCreated',
      sagaId: 'saga-1',
    });
    expect(out.payload).toMatchObject({
      userId: accountId,
      nickname: 'ada_l',
      meta: { eventId: out.id, eventType: 'UserCreated', aggregateId: accountId, sagaId: 'saga-1' },
    });
  });

  it.each([
    [
      'an id that is not a UUID',
      { accountId: 'not-a-uuid', nickname: 'ada', blogSlug: 'ada' },
      /accountId "not-a-uuid" is not a UUID/,
    ],
    [
      'a missing required field',
      { accountId: randomUUID(), nickname: '', blogSlug: 'ada' },
      /nickname is required/,
    ],
    [
      'a field that breaks its shared rule',
      { accountId: randomUUID(), nickname: 'a b', blogSlug: 'ab' },
      /nickname "a b" must be 3 to 30 characters/,
    ],
  ])('dead-letters %s at once with the reason, never running the handler', async (_, data, reason) => {
    await broker.publish(AccountCreated.topic, [accountCreated(data)]);
    await broker.idle();

    const [dead] = broker.records(`${AccountCreated.topic}.dlq`);
    expect(dead.headers[DlqHeaders.reason]).toBe('undecodable');
    expect(dead.headers[DlqHeaders.attempts]).toBe('0');
    expect(dead.headers[DlqHeaders.errorMessage]).toMatch(/^AccountCreated: /);
    expect(dead.headers[DlqHeaders.errorMessage]).toMatch(reason);
    expect(handled).toEqual([]);
    expect(db.claimed.size).toBe(0);
  });

  it('refuses to start with no handler, since it would read nothing', async () => {
    const empty = createInboxConsumer({ name: 'x', broker, store: db, inbox: db, outbox: db, logger });
    await expect(empty.start()).rejects.toThrow(/reads nothing/);
  });
});
