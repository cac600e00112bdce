// The runner's logic against the in-memory broker and an in-memory transactional store: staged writes become
// visible only when the transaction function resolves, so a failed attempt leaves nothing behind, like PostgreSQL.
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { context, propagation, trace } from '@opentelemetry/api';
import { events } from '@blog/proto';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MemoryBroker, type OutgoingMessage } from '../broker';
import type { Outbox, OutboxEvent } from '../outbox';
import type { Transaction, TransactionRunner } from '../store';
import { createInboxConsumer, type InboxConsumer } from './consumer';
import { DlqHeaders, type Inbox } from './inbox';
import { Registry } from 'prom-client';
import { LogSink } from '../server/testing/clients';
import { createLogger } from '../telemetry';
import { InboxMetrics } from './inbox-metrics';

interface StagedTx extends Transaction {
  claims: string[];
  effects: string[];
  events: OutboxEvent[];
}

/** MemoryDb is a store, inbox and outbox whose writes commit only when the transaction function resolves. */
class MemoryDb implements TransactionRunner, Inbox, Outbox {
  readonly claimed = new Set<string>();
  readonly effects: string[] = [];
  readonly events: OutboxEvent[] = [];
  failNextTransactions = 0;
  transactions = 0;

  async withTransaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    this.transactions++;
    if (this.failNextTransactions > 0) {
      this.failNextTransactions--;
      throw new Error('connection refused');
    }
    const tx: StagedTx = {
      query: async () => ({ rows: [], rowCount: 0 }),
      claims: [],
      effects: [],
      events: [],
    };
    const result = await fn(tx);
    tx.claims.forEach((c) => this.claimed.add(c));
    this.effects.push(...tx.effects);
    this.events.push(...tx.events);
    return result;
  }

  async claim(tx: Transaction, consumer: string, messageId: string): Promise<boolean> {
    const key = `${consumer}/${messageId}`;
    if (this.claimed.has(key)) return false;
    (tx as StagedTx).claims.push(key);
    return true;
  }

  async add(tx: Transaction, event: OutboxEvent): Promise<string> {
    (tx as StagedTx).events.push(event);
    return 'id';
  }
}

/** BatchDb claims a batch's ids at once, as PgInbox does: an id given twice is new once. */
class BatchDb extends MemoryDb {
  claimAllCalls = 0;

  async claimAll(tx: Transaction, consumer: string, messageIds: readonly string[]): Promise<Set<string>> {
    this.claimAllCalls++;
    const claimed = new Set<string>();
    for (const id of messageIds) if (await this.claim(tx, consumer, id)) claimed.add(id);
    (tx as StagedTx).claims = [...new Set((tx as StagedTx).claims)];
    return claimed;
  }

  override async claim(tx: Transaction, consumer: string, messageId: string): Promise<boolean> {
    const key = `${consumer}/${messageId}`;
    if ((tx as StagedTx).claims.includes(key)) return false;
    return super.claim(tx, consumer, messageId);
  }
}

const TOPIC = 'events.auth.account';
const logger = pino({ level: 'silent' });

function accountCreated(
  accountId: string,
  id = `evt-${accountId}`,
  headers: Record<string, string> = {},
): OutgoingMessage {
  return {
    key: accountId,
    value: Buffer.from(
      JSON.stringify(
        events.AccountCreated.toJSON({
          meta: undefined,
          accountId,
          nickname: `n-${accountId}`,
          blogSlug: '',
        }),
      ),
    ),
    headers: { id, eventType: 'AccountCreated', ...headers },
  };
}

describe('InboxConsumer', () => {
  let broker: MemoryBroker;
  let db: MemoryDb;
  let consumer: InboxConsumer;
  let failures: Map<string, number>;

  beforeEach(async () => {
    broker = new MemoryBroker({ partitions: 3, redeliveryDelayMs: 1 });
    await broker.start();
    db = new MemoryDb();
    failures = new Map();
    consumer = createInboxConsumer({
      name: 'user',
      topics: [TOPIC],
      broker,
      store: db,
      inbox: db,
      outbox: db,
      logger,
      retry: { attempts: 3, initialDelayMs: 1, maxDelayMs: 2 },
    }).on('AccountCreated', events.AccountCreated, async (event, ctx) => {
      const left = failures.get(event.accountId) ?? 0;
      if (left > 0) {
        failures.set(event.accountId, left - 1);
        throw new RangeError(`cannot create ${event.accountId}`);
      }
      (ctx.tx as StagedTx).effects.push(`${event.accountId}:${event.nickname}`);
      await ctx.addEvent({
        aggregateType: 'user.profile',
        aggregateId: event.accountId,
        type: 'UserCreated',
        payload: {},
      });
    });
    await consumer.start();
  });
  afterEach(() => broker.stop());

  it('processes each event once and keeps order per aggregate', async () => {
    const messages = ['a', 'b', 'c'].flatMap((a) => [1, 2, 3].map((n) => accountCreated(a, `${a}${n}`)));
    await broker.publish(TOPIC, messages);
    await broker.idle();

    expect(db.effects).toHaveLength(9);
    for (const a of ['a', 'b', 'c']) {
      expect([...db.claimed].filter((c) => c.startsWith(`user/${a}`))).toEqual([
        `user/${a}1`,
        `user/${a}2`,
        `user/${a}3`,
      ]);
    }
  });

  it('absorbs a redelivered (duplicate) event', async () => {
    await broker.publish(TOPIC, [accountCreated('a')]);
    await broker.idle();
    await broker.publish(TOPIC, [accountCreated('a')]);
    await broker.idle();

    expect(db.effects).toEqual(['a:n-a']);
    expect(db.events).toHaveLength(1);
  });

  it('retries a failing handler and succeeds within the attempts', async () => {
    failures.set('a', 2);
    await broker.publish(TOPIC, [accountCreated('a')]);
    await broker.idle();

    expect(db.effects).toEqual(['a:n-a']);
    expect(broker.records(`${TOPIC}.dlq`)).toEqual([]);
  });

  it('dead-letters a record after the last attempt, with the error, and moves on', async () => {
    failures.set('a', 3); // exactly the attempts of the first record
    await broker.publish(TOPIC, [
      accountCreated('a', 'evt-1', { traceparent: 'tp', sagaId: 's1' }),
      accountCreated('a', 'evt-2'),
    ]);
    await broker.idle();

    const [dead, ...more] = broker.records(`${TOPIC}.dlq`);
    expect(more).toEqual([]);
    expect(dead.key).toBe('a');
    expect(dead.value?.toString()).toBe(accountCreated('a').value?.toString());
    expect(dead.headers).toMatchObject({
      id: 'evt-1',
      eventType: 'AccountCreated',
      traceparent: 'tp',
      sagaId: 's1',
      [DlqHeaders.reason]: 'handler-failed',
      [DlqHeaders.errorMessage]: 'cannot create a',
      [DlqHeaders.errorClass]: 'RangeError',
      [DlqHeaders.attempts]: '3',
      [DlqHeaders.consumer]: 'user',
      [DlqHeaders.originalTopic]: TOPIC,
      [DlqHeaders.originalOffset]: '0',
    });
    // The failed record left no inbox row; the next record of the same aggregate was processed.
    expect([...db.claimed]).toEqual(['user/evt-2']);
    expect(db.effects).toEqual(['a:n-a']);
  });

  it('processes the records after a dead-lettered one', async () => {
    failures.set('bad', 99);
    await broker.publish(TOPIC, [accountCreated('bad'), accountCreated('x')]);
    await broker.idle();

    expect(broker.records(`${TOPIC}.dlq`).map((m) => m.key)).toEqual(['bad']);
    expect(db.effects).toEqual(['x:n-x']);
  });

  it.each([
    [
      'bad JSON',
      { key: 'k', value: Buffer.from('{nope'), headers: { id: '1', eventType: 'AccountCreated' } },
      /not JSON/,
    ],
    ['no value', { key: 'k', value: null, headers: { id: '1', eventType: 'AccountCreated' } }, /no value/],
    [
      'a JSON array',
      { key: 'k', value: Buffer.from('[]'), headers: { id: '1', eventType: 'AccountCreated' } },
      /not a JSON object/,
    ],
    [
      'an unknown event type',
      { key: 'k', value: Buffer.from('{}'), headers: { id: '1', eventType: 'Nope' } },
      /unknown event type Nope/,
    ],
    [
      'no eventType header',
      { key: 'k', value: Buffer.from('{}'), headers: { id: '1' } },
      /no eventType header/,
    ],
  ])('dead-letters %s at once, without running the handler', async (_, message, error) => {
    await broker.publish(TOPIC, [message as OutgoingMessage]);
    await broker.idle();

    const [dead] = broker.records(`${TOPIC}.dlq`);
    expect(dead.headers[DlqHeaders.reason]).toBe('undecodable');
    expect(dead.headers[DlqHeaders.attempts]).toBe('0');
    expect(dead.headers[DlqHeaders.errorClass]).toBe('UndecodableError');
    expect(dead.headers[DlqHeaders.errorMessage]).toMatch(error);
    expect(db.claimed.size).toBe(0);
  });

  it('skips an event type of the contract that it does not handle', async () => {
    await broker.publish(TOPIC, [
      { key: 'k', value: Buffer.from('{}'), headers: { id: '1', eventType: 'AccountDeleted' } },
    ]);
    await broker.idle();

    expect(broker.records(`${TOPIC}.dlq`)).toEqual([]);
    expect(broker.committedOffset('user', TOPIC, broker.records(TOPIC)[0].partition)).toBe(1);
  });

  it('falls back to topic-partition-offset as the message id without an id header', async () => {
    const { id: _id, ...headers } = accountCreated('a').headers ?? {};
    await broker.publish(TOPIC, [{ ...accountCreated('a'), headers }]);
    await broker.idle();

    const [record] = broker.records(TOPIC);
    expect([...db.claimed]).toEqual([`user/${TOPIC}-${record.partition}-0`]);
  });

  it('leaves a failure of the transaction itself to the broker: redelivered, never dead-lettered', async () => {
    db.failNextTransactions = 5;
    await broker.publish(TOPIC, [accountCreated('a')]);
    await broker.idle();

    expect(broker.records(`${TOPIC}.dlq`)).toEqual([]);
    expect(db.effects).toEqual(['a:n-a']);
  });

  it('passes the incoming saga id to the events the handler adds', async () => {
    await broker.publish(TOPIC, [accountCreated('a', 'e1', { sagaId: 'saga-1' })]);
    await broker.idle();

    expect(db.events).toEqual([expect.objectContaining({ sagaId: 'saga-1', type: 'UserCreated' })]);
  });
});

describe('InboxConsumer batches', () => {
  // One partition: every record published before the consumer runs is one batch (the memory broker hands over
  // what waits, as the Kafka brokers do under load).
  let broker: MemoryBroker;
  let db: BatchDb;
  let failures: Map<string, number>;
  let calls: string[];
  const start = async (maxBatchSize?: number) => {
    const consumer = createInboxConsumer({
      name: 'user',
      topics: [TOPIC],
      broker,
      store: db,
      inbox: db,
      outbox: db,
      logger,
      maxBatchSize,
      retry: { attempts: 3, initialDelayMs: 1, maxDelayMs: 2 },
    }).on('AccountCreated', events.AccountCreated, async (event, ctx) => {
      calls.push(event.accountId);
      const left = failures.get(event.accountId) ?? 0;
      if (left > 0) {
        failures.set(event.accountId, left - 1);
        throw new RangeError(`cannot create ${event.accountId}`);
      }
      (ctx.tx as StagedTx).effects.push(event.accountId);
    });
    await consumer.start();
  };
  beforeEach(async () => {
    broker = new MemoryBroker({ partitions: 1, redeliveryDelayMs: 1 });
    await broker.start();
    db = new BatchDb();
    failures = new Map();
    calls = [];
  });
  afterEach(() => broker.stop());

  it('handles the records waiting in a partition in one transaction, claimed in one call, in order', async () => {
    await broker.publish(
      TOPIC,
      ['a', 'b', 'c', 'd'].map((a) => accountCreated(a)),
    );
    await start();
    await broker.idle();

    expect(db.effects).toEqual(['a', 'b', 'c', 'd']);
    expect(db.transactions).toBe(1);
    expect(db.claimAllCalls).toBe(1);
    expect(broker.committedOffset('user', TOPIC, 0)).toBe(4);
  });

  it('handles every record in its own transaction with maxBatchSize 1', async () => {
    await broker.publish(
      TOPIC,
      ['a', 'b', 'c'].map((a) => accountCreated(a)),
    );
    await start(1);
    await broker.idle();

    expect(db.effects).toEqual(['a', 'b', 'c']);
    expect(db.transactions).toBe(3);
    expect(db.claimAllCalls).toBe(0);
  });

  it('skips duplicates within a batch and those claimed before', async () => {
    await broker.publish(TOPIC, [accountCreated('a', 'e1')]);
    await start();
    await broker.idle();
    await broker.publish(TOPIC, [
      accountCreated('a', 'e1'),
      accountCreated('b', 'e2'),
      accountCreated('b', 'e2'),
      accountCreated('c', 'e3'),
    ]);
    await broker.idle();

    expect(db.effects).toEqual(['a', 'b', 'c']);
    expect(calls).toEqual(['a', 'b', 'c']);
    expect(db.transactions).toBe(2);
  });

  it('rolls back a batch whose handler failed: the others are handled alone, the failing one retried as often as alone and dead-lettered', async () => {
    failures.set('bad', 99);
    await broker.publish(
      TOPIC,
      ['a', 'bad', 'c'].map((a) => accountCreated(a)),
    );
    await start();
    await broker.idle();

    expect(db.effects).toEqual(['a', 'c']);
    // a ran in the rolled-back batch and again alone; bad ran 3 times in all (its batch try was attempt 1).
    expect(calls).toEqual(['a', 'bad', 'a', 'bad', 'bad', 'c']);
    const [dead, ...more] = broker.records(`${TOPIC}.dlq`);
    expect(more).toEqual([]);
    expect(dead.headers).toMatchObject({
      id: 'evt-bad',
      [DlqHeaders.reason]: 'handler-failed',
      [DlqHeaders.attempts]: '3',
      [DlqHeaders.originalOffset]: '1',
    });
    expect([...db.claimed]).toEqual(['user/evt-a', 'user/evt-c']);
    expect(broker.committedOffset('user', TOPIC, 0)).toBe(3);
  });

  it('a handler that fails once in a batch succeeds on its retry alone', async () => {
    failures.set('b', 1);
    await broker.publish(
      TOPIC,
      ['a', 'b', 'c'].map((a) => accountCreated(a)),
    );
    await start();
    await broker.idle();

    expect(db.effects).toEqual(['a', 'b', 'c']);
    expect(broker.records(`${TOPIC}.dlq`)).toEqual([]);
  });

  it('takes the one-record path for a batch with an undecodable record: dead-lettered at once, the rest in order', async () => {
    await broker.publish(TOPIC, [
      accountCreated('a'),
      { key: 'k', value: Buffer.from('{nope'), headers: { id: 'x', eventType: 'AccountCreated' } },
      accountCreated('c'),
    ]);
    await start();
    await broker.idle();

    expect(db.effects).toEqual(['a', 'c']);
    expect(calls).toEqual(['a', 'c']);
    expect(db.transactions).toBe(2);
    expect(broker.records(`${TOPIC}.dlq`).map((m) => m.headers[DlqHeaders.reason])).toEqual(['undecodable']);
  });

  it('skips a known type it does not handle within a batch', async () => {
    await broker.publish(TOPIC, [
      accountCreated('a'),
      { key: 'k', value: Buffer.from('{}'), headers: { id: 'x', eventType: 'AccountDeleted' } },
      accountCreated('c'),
    ]);
    await start();
    await broker.idle();

    expect(db.effects).toEqual(['a', 'c']);
    expect(db.transactions).toBe(1);
    expect(broker.records(`${TOPIC}.dlq`)).toEqual([]);
  });

  it('takes the one-record path when the batch transaction fails', async () => {
    db.failNextTransactions = 1;
    await broker.publish(
      TOPIC,
      ['a', 'b'].map((a) => accountCreated(a)),
    );
    await start();
    await broker.idle();

    expect(db.effects).toEqual(['a', 'b']);
    expect(db.transactions).toBe(3);
    expect(broker.records(`${TOPIC}.dlq`)).toEqual([]);
  });
});

describe('InboxConsumer tracing', () => {
  const contextManager = new AsyncLocalStorageContextManager();
  beforeAll(() => {
    contextManager.enable();
    context.setGlobalContextManager(contextManager);
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  });
  afterAll(() => {
    context.disable();
    propagation.disable();
  });

  it("runs the handler in the context of the record's traceparent", async () => {
    const broker = new MemoryBroker({ partitions: 1 });
    await broker.start();
    const db = new MemoryDb();
    const seen: (string | undefined)[] = [];
    const consumer = createInboxConsumer({
      name: 'c',
      topics: [TOPIC],
      broker,
      store: db,
      inbox: db,
      outbox: db,
      logger,
    }).on(
      'AccountCreated',
      events.AccountCreated,
      async () => void seen.push(trace.getSpanContext(context.active())?.traceId),
    );
    await consumer.start();
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    await broker.publish(TOPIC, [
      accountCreated('a', 'e1', { traceparent: `00-${traceId}-00f067aa0ba902b7-01` }),
    ]);
    await broker.idle();
    await broker.stop();

    expect(seen).toEqual([traceId]);
  });

  it("runs each handler of a batch in its own record's context, with its own log fields and log line", async () => {
    const broker = new MemoryBroker({ partitions: 1 });
    await broker.start();
    const db = new BatchDb();
    const sink = new LogSink();
    const appLogger = createLogger({ service: 'user', version: '1', destination: sink });
    const seen: (string | undefined)[] = [];
    const consumer = createInboxConsumer({
      name: 'c',
      topics: [TOPIC],
      broker,
      store: db,
      inbox: db,
      outbox: db,
      logger: appLogger,
    }).on('AccountCreated', events.AccountCreated, async () => {
      seen.push(trace.getSpanContext(context.active())?.traceId);
      appLogger.info('handling');
    });
    const traces = ['4bf92f3577b34da6a3ce929d0e0e4736', '5bf92f3577b34da6a3ce929d0e0e4737'];
    await broker.publish(
      TOPIC,
      traces.map((traceId, i) =>
        accountCreated(`a${i}`, `e${i}`, {
          traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
          sagaId: `s${i}`,
        }),
      ),
    );
    await consumer.start();
    await broker.idle();
    await broker.stop();

    expect(db.transactions).toBe(1);
    expect(seen).toEqual(traces);
    traces.forEach((traceId, i) => {
      const lines = sink.lines.filter((line) => line['eventId'] === `e${i}`);
      expect(lines.map((line) => line['msg'])).toEqual(['handling', 'event processed']);
      for (const line of lines) expect(line).toMatchObject({ traceId, sagaId: `s${i}` });
    });
  });

  it("puts the event's correlation fields on every log line of its handling, and counts retries and dead letters", async () => {
    const broker = new MemoryBroker({ partitions: 1, redeliveryDelayMs: 1 });
    await broker.start();
    const db = new MemoryDb();
    const sink = new LogSink();
    // The service's own logger, as a handler uses it: no child bindings, the fields come from the context.
    const appLogger = createLogger({ service: 'user', version: '1', destination: sink });
    const registry = new Registry();
    const consumer = createInboxConsumer({
      name: 'user',
      topics: [TOPIC],
      broker,
      store: db,
      inbox: db,
      outbox: db,
      logger: appLogger,
      metrics: new InboxMetrics(registry),
      retry: { attempts: 2, initialDelayMs: 1, maxDelayMs: 1 },
    }).on('AccountCreated', events.AccountCreated, async (event) => {
      appLogger.info({ accountId: event.accountId }, 'profile created');
      if (event.accountId === 'bad') throw new Error('no');
    });
    await consumer.start();
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    await broker.publish(TOPIC, [
      accountCreated('a', 'e1', { traceparent: `00-${traceId}-00f067aa0ba902b7-01`, sagaId: 'saga-1' }),
      accountCreated('bad', 'e2', { sagaId: 'saga-2' }),
    ]);
    await broker.idle();
    await broker.stop();

    const handled = sink.lines.filter((line) => line['eventId'] === 'e1');
    // e1 and e2 came in one batch, rolled back by e2's handler: e1's handler ran in it, then alone (committed).
    expect(handled.map((line) => line['msg'])).toEqual([
      'profile created',
      'profile created',
      'event processed',
    ]);
    for (const line of handled) {
      expect(line).toMatchObject({ traceId, sagaId: 'saga-1', eventType: 'AccountCreated' });
      expect(line['spanId']).toMatch(/^[0-9a-f]{16}$/);
    }
    const failed = sink.lines.filter((line) => line['eventId'] === 'e2');
    expect(failed.map((line) => line['msg'])).toEqual([
      'profile created',
      'handler failed; retrying',
      'profile created',
      'record dead-lettered',
    ]);
    expect(failed.every((line) => line['sagaId'] === 'saga-2')).toBe(true);
    const text = await registry.metrics();
    expect(text).toContain(`blog_inbox_retries_total{topic="${TOPIC}",event_type="AccountCreated"} 1`);
    expect(text).toContain(`blog_inbox_dead_letters_total{topic="${TOPIC}",reason="handler-failed"} 1`);
  });
});
