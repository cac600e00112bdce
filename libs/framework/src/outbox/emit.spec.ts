import { AccountActivated, events, UserCreated } from '@blog/proto';
import { describe, expect, it } from 'vitest';
import type { Transaction } from '../store';
import { createEvent, emitterFor, withEvents } from './emit';
import type { Outbox, OutboxEvent } from './outbox';

describe('createEvent', () => {
  it('builds the outbox event from the descriptor: type, aggregate, metadata naming the row id, time and saga', () => {
    const at = new Date('2026-11-21T12:00:00.000Z');
    const event = createEvent(
      UserCreated,
      'u1',
      { userId: 'u1', nickname: 'ada', blogSlug: 'ada' },
      { sagaId: 's1', occurredAt: at },
    );
    expect(event).toMatchObject({
      aggregateType: 'user.profile',
      aggregateId: 'u1',
      type: 'UserCreated',
      sagaId: 's1',
    });
    const decoded = events.UserCreated.fromJSON(event.payload);
    expect(decoded.meta).toEqual({
      eventId: event.id,
      eventType: 'UserCreated',
      aggregateId: 'u1',
      occurredAt: at.toISOString(),
      sagaId: 's1',
    });
    expect(events.UserCreated.decode(event.binary?.() ?? new Uint8Array())).toEqual(decoded);
  });

  it('gives every event its own id', () => {
    const of = () => createEvent(AccountActivated, 'a', { accountId: 'a' });
    expect(of().id).not.toBe(of().id);
  });
});

describe('emit', () => {
  const recorder = () => {
    const added: OutboxEvent[] = [];
    const outbox: Outbox = { add: async (_tx, event) => (added.push(event), event.id ?? '') };
    return { added, outbox };
  };
  const tx: Transaction = { query: async () => ({ rows: [], rowCount: 0 }) };

  it("adds the event in the transaction, in the emitter's saga unless the call names one", async () => {
    const { added, outbox } = recorder();
    const emit = emitterFor(outbox, tx, 'saga-in');
    await emit(AccountActivated, 'a1', { accountId: 'a1' });
    await emit(AccountActivated, 'a2', { accountId: 'a2' }, { sagaId: 'saga-own' });
    expect(added.map((e) => e.sagaId)).toEqual(['saga-in', 'saga-own']);
  });

  it('withEvents runs the work in one transaction with an emit bound to it', async () => {
    const { added, outbox } = recorder();
    const seen: Transaction[] = [];
    const store = { withTransaction: <T>(fn: (t: Transaction) => Promise<T>) => fn(tx) };
    const id = await withEvents(store, outbox, async (scope) => {
      seen.push(scope.tx);
      return scope.emit(AccountActivated, 'a1', { accountId: 'a1' });
    });
    expect(seen).toEqual([tx]);
    expect(added).toHaveLength(1);
    expect(id).toBe(added[0].id);
    expect(added[0].sagaId).toBeUndefined();
  });
});
