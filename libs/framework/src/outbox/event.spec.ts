import { AggregateTypes, events } from '@blog/proto';
import { describe, expect, it } from 'vitest';
import { eventOf } from './event';

describe('eventOf', () => {
  it('fills the metadata so the payload names the outbox row id, type, aggregate, time and saga', () => {
    const at = new Date('2026-11-21T12:00:00.000Z');
    const event = eventOf(events.UserCreated, 'UserCreated', {
      aggregateType: AggregateTypes.profile,
      aggregateId: 'u1',
      sagaId: 's1',
      occurredAt: at,
      data: { userId: 'u1', nickname: 'ada', blogSlug: 'ada' },
    });
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
    expect(decoded.nickname).toBe('ada');
  });

  it('gives every event its own id', () => {
    const spec = { aggregateType: 'x.y', aggregateId: 'a', data: { accountId: 'a' } };
    expect(eventOf(events.AccountActivated, 'AccountActivated', spec).id).not.toBe(
      eventOf(events.AccountActivated, 'AccountActivated', spec).id,
    );
  });
});
