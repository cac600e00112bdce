import { randomUUID } from 'node:crypto';
import { AggregateTypes, events } from '@blog/proto';
import { describe, expect, it } from 'vitest';
import { buildEvent, debeziumRecord, payloadOf } from './debezium';

const userCreated = (sagaId?: string) =>
  buildEvent(events.UserCreated, 'UserCreated', {
    aggregateType: AggregateTypes.profile,
    aggregateId: 'u1',
    data: { userId: 'u1', nickname: 'ada', blogSlug: 'ada' },
    sagaId,
  });

describe('buildEvent', () => {
  it('fills the metadata the producer would, in a new saga unless one is given', () => {
    const event = userCreated();
    expect(event).toMatchObject({ aggregateType: 'user.profile', aggregateId: 'u1', type: 'UserCreated' });
    expect(event.payload).toMatchObject({
      userId: 'u1',
      nickname: 'ada',
      meta: { eventId: event.id, eventType: 'UserCreated', aggregateId: 'u1', sagaId: event.sagaId },
    });
    expect(event.sagaId).toMatch(/^[0-9a-f-]{36}$/);
    const sagaId = randomUUID();
    expect(userCreated(sagaId).sagaId).toBe(sagaId);
    expect(userCreated().id).not.toBe(event.id);
  });
});

describe('debeziumRecord', () => {
  it("is EventRouter's record: topic events.<aggregatetype>, key the aggregate id, JSON value, id/eventType/sagaId", () => {
    const event = userCreated();
    const { topic, message } = debeziumRecord(event);
    expect(topic).toBe('events.user.profile');
    expect(message.key).toBe('u1');
    expect(JSON.parse(message.value.toString())).toEqual(event.payload);
    expect(message.headers).toEqual({
      id: event.id,
      eventType: 'UserCreated',
      contentType: 'application/json',
      sagaId: event.sagaId,
    });
  });

  it('leaves out the sagaId header of an event outside a saga, and gives an id-less event a new id', () => {
    const { message } = debeziumRecord({
      aggregateType: 'blog.blog',
      aggregateId: 'b1',
      type: 'X',
      payload: {},
    });
    expect(Object.keys(message.headers).sort()).toEqual(['contentType', 'eventType', 'id']);
    expect(message.headers.id).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('payloadOf', () => {
  const of = (text: string | null) => payloadOf({ value: text === null ? null : Buffer.from(text) });

  it('reads a JSON object, and one that EventRouter carried as a JSON string', () => {
    expect(of('{"a":1}')).toEqual({ a: 1 });
    expect(of(JSON.stringify('{"a":1}'))).toEqual({ a: 1 });
  });

  it('gives {} for no value, broken JSON and non-objects, so a tap reads on past them', () => {
    expect(of(null)).toEqual({});
    expect(of('{not json')).toEqual({});
    expect(of('[1]')).toEqual({});
    expect(of('42')).toEqual({});
  });
});
