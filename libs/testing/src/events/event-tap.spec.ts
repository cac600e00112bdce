// The bus and its taps over the framework's in-memory broker: the same publish/subscribe contract as Kafka.
import { MemoryBroker } from '@blog/framework';
import { AggregateTypes, events } from '@blog/proto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventBus } from './event-bus';
import type { EventTap } from './event-tap';

const PROFILES = 'events.user.profile';

describe('EventBus and EventTap', () => {
  let broker: MemoryBroker;
  let bus: EventBus;
  let tap: EventTap;

  beforeEach(async () => {
    broker = new MemoryBroker();
    await broker.start();
    bus = new EventBus(broker);
    tap = await bus.tap([PROFILES]);
  });
  afterEach(() => bus.close());

  const feedUser = (userId: string, nickname = 'ada') =>
    bus.feed(events.UserCreated, 'UserCreated', {
      aggregateType: AggregateTypes.profile,
      aggregateId: userId,
      data: { userId, nickname, blogSlug: nickname },
    });

  it('sees what was fed, by event type and aggregate key, with its headers and raw payload', async () => {
    const fed = await feedUser('u1');
    await feedUser('u2');
    await broker.idle();
    const [seen] = tap.all('UserCreated', 'u1');
    expect(seen).toMatchObject({
      topic: PROFILES,
      key: 'u1',
      id: fed.id,
      type: 'UserCreated',
      sagaId: fed.sagaId,
    });
    expect(seen.payload).toMatchObject({ userId: 'u1', nickname: 'ada' });
    expect(tap.all('UserCreated')).toHaveLength(2);
    expect(tap.all('UserRejected', 'u1')).toEqual([]);
  });

  it('decodes events and filters them on their fields', async () => {
    await feedUser('u1', 'ada');
    await feedUser('u2', 'bob');
    await broker.idle();
    const seen = tap.all('UserCreated', events.UserCreated, (e) => e.nickname === 'bob');
    expect(seen.map((s) => s.event.userId)).toEqual(['u2']);
    expect(seen[0].event.meta?.eventType).toBe('UserCreated');
  });

  it('counts a redelivery as the same event id twice, and a repeat as a new id', async () => {
    const fed = await feedUser('u1');
    await bus.redeliver(fed);
    await feedUser('u1');
    await broker.idle();
    const ids = tap.all('UserCreated', 'u1').map((e) => e.id);
    expect(ids).toHaveLength(3);
    expect(ids.filter((id) => id === fed.id)).toHaveLength(2);
  });

  it('next waits for an event still to come, by key or decoded', async () => {
    const byKey = tap.next('UserCreated', 'u9', 2_000);
    const decoded = tap.next('UserCreated', events.UserCreated, (e) => e.nickname === 'late', 2_000);
    setTimeout(() => void feedUser('u9', 'late'), 100);
    expect((await byKey).key).toBe('u9');
    expect((await decoded).event.userId).toBe('u9');
  });

  it('next fails naming the event it waited for', async () => {
    await expect(tap.next('UserDeleted', 'u1', 100)).rejects.toThrow('waiting for UserDeleted for u1');
  });

  it('reads past a record that is not JSON', async () => {
    await broker.publish(PROFILES, [
      { key: 'x', value: Buffer.from('{broken'), headers: { eventType: 'UserCreated' } },
    ]);
    await feedUser('u1');
    await broker.idle();
    expect(tap.all('UserCreated').map((e) => e.key)).toEqual(['x', 'u1']);
  });
});
