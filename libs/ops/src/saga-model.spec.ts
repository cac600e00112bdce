import { describe, expect, it } from 'vitest';
import { buildSaga, type SagaEventInput } from './saga-model';
import type { Topology } from './topology';

const topology: Topology = {
  services: ['auth', 'user', 'blog'],
  rpc: [],
  topics: [],
  events: [
    { type: 'AccountCreated', topic: 'events.auth.account', producer: 'auth', consumers: ['user'] },
    { type: 'UserCreated', topic: 'events.user.profile', producer: 'user', consumers: ['blog'] },
    { type: 'UserRejected', topic: 'events.user.profile', producer: 'user', consumers: ['auth'] },
    { type: 'BlogCreated', topic: 'events.blog.blog', producer: 'blog', consumers: ['auth'] },
    { type: 'AccountActivated', topic: 'events.auth.account', producer: 'auth', consumers: [] },
    { type: 'AccountRejected', topic: 'events.auth.account', producer: 'auth', consumers: [] },
  ],
};

const event = (type: string, at: number, id = type): SagaEventInput => ({
  eventId: id,
  type,
  topic: topology.events.find((e) => e.type === type)?.topic ?? '',
  partition: 0,
  offset: String(at),
  key: 'k',
  at,
  traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
});

const base = { sagaId: 's', deadLetters: [], topology, now: 10_000, stuckAfterMs: 60_000 };

describe('buildSaga', () => {
  it('completes a sign-up once every event is in and consumed', () => {
    const saga = buildSaga({
      ...base,
      events: [
        event('BlogCreated', 3),
        event('AccountCreated', 1),
        event('AccountActivated', 4),
        event('UserCreated', 2),
      ],
      consumptions: [
        { service: 'user', eventId: 'AccountCreated', at: 1 },
        { service: 'blog', eventId: 'UserCreated', at: 2 },
        { service: 'auth', eventId: 'BlogCreated', at: 3 },
        { service: 'auth', eventId: 'BlogCreated', at: 0 }, // its offset says so too
      ],
    });
    expect(saga.steps[2]?.consumedBy).toEqual([{ service: 'auth', at: 3 }]);
    expect(saga).toMatchObject({ type: 'sign-up', status: 'COMPLETED', stuck: false, compensated: false });
    expect(saga.steps.map((s) => s.type)).toEqual([
      'AccountCreated',
      'UserCreated',
      'BlogCreated',
      'AccountActivated',
    ]);
    expect(saga.waitingOn).toBeUndefined();
  });

  it('marks compensations and ends COMPENSATED', () => {
    const saga = buildSaga({
      ...base,
      events: [event('AccountCreated', 1), event('UserRejected', 2), event('AccountRejected', 3)],
      consumptions: [
        { service: 'user', eventId: 'AccountCreated', at: 1 },
        { service: 'auth', eventId: 'UserRejected', at: 2 },
      ],
    });
    expect(saga.status).toBe('COMPENSATED');
    expect(saga.steps.map((s) => s.compensation)).toEqual([false, true, true]);
  });

  it('names the dead-lettered step and reports it stuck at once, whatever the consumer offset says', () => {
    const saga = buildSaga({
      ...base,
      events: [event('AccountCreated', 1), event('UserCreated', 2)],
      consumptions: [
        { service: 'user', eventId: 'AccountCreated', at: 1 },
        { service: 'blog', eventId: 'UserCreated', at: 0 }, // the group moved past the dead letter
      ],
      deadLetters: [
        { id: 'events.user.profile.dlq:0:0', eventId: 'UserCreated', consumer: 'blog', error: 'boom' },
      ],
    });
    expect(saga).toMatchObject({
      status: 'RUNNING',
      stuck: true,
      waitingOn: {
        service: 'blog',
        event: 'UserCreated',
        why: 'dead-lettered',
        deadLetter: { id: 'events.user.profile.dlq:0:0' },
      },
    });
  });

  it('is stuck only after the threshold when nothing failed', () => {
    const events = [event('AccountCreated', 1)];
    const fresh = buildSaga({ ...base, events, consumptions: [], now: 1_000 });
    expect(fresh).toMatchObject({
      stuck: false,
      waitingOn: { service: 'user', event: 'AccountCreated', why: 'not-consumed' },
    });
    const old = buildSaga({ ...base, events, consumptions: [], now: 120_000 });
    expect(old.stuck).toBe(true);
  });

  it('waits on the consumer for its next event when everything emitted was consumed', () => {
    const saga = buildSaga({
      ...base,
      events: [event('AccountCreated', 1)],
      consumptions: [{ service: 'user', eventId: 'AccountCreated', at: 5 }],
    });
    expect(saga.waitingOn).toMatchObject({ service: 'user', why: 'next-event' });
  });

  it('counts a redriven copy (same event id) once', () => {
    const saga = buildSaga({
      ...base,
      events: [
        event('AccountCreated', 1),
        event('UserCreated', 2, 'u'),
        { ...event('UserCreated', 9, 'u'), offset: '9' },
      ],
      consumptions: [],
    });
    expect(saga.steps.filter((s) => s.type === 'UserCreated')).toHaveLength(1);
  });
});
