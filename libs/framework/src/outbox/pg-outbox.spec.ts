import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { context, propagation, trace, TraceFlags } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Transaction } from '../store';
import { PgOutbox } from './pg-outbox';

/** recorder is a Transaction that records statements (what matters here is what is sent, not PostgreSQL). */
function recorder() {
  const statements: { text: string; values: readonly unknown[] }[] = [];
  const tx: Transaction = {
    query: async (text, values = []) => {
      statements.push({ text: text.replace(/\s+/g, ' ').trim(), values });
      return { rows: [], rowCount: 1 };
    },
  };
  return { tx, statements };
}

const event = {
  aggregateType: 'auth.account',
  aggregateId: 'a1',
  type: 'AccountCreated',
  payload: { accountId: 'a1' },
};

describe('PgOutbox', () => {
  const contextManager = new AsyncLocalStorageContextManager();
  beforeAll(() => {
    context.setGlobalContextManager(contextManager.enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  });
  afterAll(() => {
    context.disable();
    propagation.disable();
  });

  it('inserts the event and deletes it in the same transaction, with a new UUID', async () => {
    const { tx, statements } = recorder();
    const id = await new PgOutbox().add(tx, { ...event, sagaId: 's1' });

    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(statements).toHaveLength(2);
    expect(statements[0].text).toMatch(
      /^insert into outbox \(id, aggregatetype, aggregateid, type, payload, content_type, traceparent, saga_id\)/,
    );
    expect(statements[0].values).toEqual([
      id,
      'auth.account',
      'a1',
      'AccountCreated',
      Buffer.from('{"accountId":"a1"}'),
      'application/json',
      null,
      's1',
    ]);
    expect(statements[1]).toEqual({ text: 'delete from outbox where id = $1', values: [id] });
  });

  it('tells onAdded once the transaction committed where the transaction can tell, at once elsewhere', async () => {
    const added: string[] = [];
    const outbox = new PgOutbox({ onAdded: (type, sagaId) => added.push(`${type}/${sagaId}`) });
    const { tx } = recorder();
    const committed: (() => void)[] = [];
    await outbox.add(
      { ...tx, afterCommit: (callback) => committed.push(callback) },
      { ...event, sagaId: 's1' },
    );
    expect(added).toEqual([]);
    committed.forEach((callback) => callback());
    expect(added).toEqual(['AccountCreated/s1']);

    await outbox.add(tx, event);
    expect(added).toEqual(['AccountCreated/s1', 'AccountCreated/undefined']);
  });

  it('stores the active span context as the traceparent', async () => {
    const { tx, statements } = recorder();
    const spanContext = {
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      traceFlags: TraceFlags.SAMPLED,
    };
    await context.with(trace.setSpanContext(context.active(), spanContext), () =>
      new PgOutbox().add(tx, event),
    );

    expect(statements[0].values[6]).toBe('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');
  });

  it('keeps a given id and traceparent', async () => {
    const { tx, statements } = recorder();
    const id = await new PgOutbox().add(tx, { ...event, id: 'e-1', traceparent: '00-x-y-01' });

    expect(id).toBe('e-1');
    expect(statements[0].values[0]).toBe('e-1');
    expect(statements[0].values[6]).toBe('00-x-y-01');
  });

  it('refuses a payload that is not a JSON object, and a table name that is not a plain identifier', async () => {
    const { tx } = recorder();
    await expect(new PgOutbox().add(tx, { ...event, payload: 'x' })).rejects.toThrow(/proto3 JSON object/);
    expect(() => new PgOutbox({ table: 'outbox; drop table x' })).toThrow(/invalid outbox table name/);
  });

  it('writes protobuf binary with its content type when the service emits protobuf', async () => {
    const { tx, statements } = recorder();
    const outbox = new PgOutbox({ contentType: 'application/x-protobuf' });
    await outbox.add(tx, { ...event, binary: () => Uint8Array.of(10, 2, 97, 49) });
    expect(statements[0].values.slice(4, 6)).toEqual([
      Buffer.from([10, 2, 97, 49]),
      'application/x-protobuf',
    ]);
    await expect(outbox.add(tx, event)).rejects.toThrow(/needs the event's binary form/);
  });
});
