import { readFileSync } from 'node:fs';
import { fromBinary } from '@bufbuild/protobuf';
import { FileDescriptorSetSchema } from '@bufbuild/protobuf/wkt';
import { describe, expect, it } from 'vitest';
import { EventTopics, EventTypes, UserCreated, descriptorSetPath, events, user } from './index';

const descriptors = fromBinary(FileDescriptorSetSchema, readFileSync(descriptorSetPath));
const eventMessages = descriptors.file
  .filter((f) => f.package === 'blog.events.v1')
  .flatMap((f) => f.messageType)
  .filter((m) => m.name !== 'EventMetadata');

// Every event named in ARCHITECTURE.md's saga table (and the reports the deletion fan-in needs).
const sagaEvents = [
  'AccountCreated',
  'UserCreated',
  'BlogCreated',
  'UserRejected',
  'BlogRejected',
  'UserDeleted',
  'PostSubmitted',
  'PostAccepted',
  'PostPublished',
  'PostRejected',
  'SubscriptionRequested',
  'SubscriptionAccepted',
  'SubscriptionRejected',
  'SubscriptionCancelled',
  'PostDeleted',
  'AccountDeletionRequested',
  'BlogDeleting',
  'BlogPostsDeleted',
  'AccountSubscriptionsCancelled',
  'BlogSubscriptionsCancelled',
  'BlogStatsDropped',
  'BlogDeleted',
  'AccountDeleted',
];

describe('event contract', () => {
  it('defines every saga event', () => {
    const names = eventMessages.map((m) => m.name);
    expect(names).toEqual(expect.arrayContaining(sagaEvents));
  });

  it('gives every event its metadata (event id, type, aggregate id, occurred-at, saga id) as field 1', () => {
    for (const message of eventMessages) {
      const meta = message.field.find((f) => f.number === 1);
      expect(meta?.name, message.name).toBe('meta');
      expect(meta?.typeName, message.name).toBe('.blog.events.v1.EventMetadata');
    }
    const metadata = descriptors.file.flatMap((f) => f.messageType).find((m) => m.name === 'EventMetadata');
    expect(metadata?.field.map((f) => f.name)).toEqual([
      'event_id',
      'event_type',
      'aggregate_id',
      'occurred_at',
      'saga_id',
    ]);
  });

  it('round-trips an event through proto3 JSON and binary', () => {
    const event = events.AccountCreated.fromPartial({
      meta: {
        eventId: '6f1c1d1e-0000-4000-8000-000000000001',
        eventType: 'AccountCreated',
        aggregateId: 'a1',
        occurredAt: '2026-11-21T10:00:00.000Z',
        sagaId: 's1',
      },
      accountId: 'a1',
      nickname: 'ada',
      blogSlug: 'ada',
    });
    const json = events.AccountCreated.toJSON(event);
    expect(json).toMatchObject({ accountId: 'a1', meta: { occurredAt: '2026-11-21T10:00:00.000Z' } });
    expect(events.AccountCreated.fromJSON(json)).toEqual(event);
    expect(events.AccountCreated.decode(events.AccountCreated.encode(event).finish())).toEqual(event);
  });

  it('exposes grpc-js service definitions with paths', () => {
    expect(user.UserServiceService.getUser.path).toBe('/blog.user.v1.UserService/GetUser');
  });

  it('routes every aggregate type to an events.* topic', () => {
    expect(EventTopics).toContain('events.auth.account');
    for (const topic of EventTopics) expect(topic).toMatch(/^events\.[a-z]+\.[a-z]+$/);
  });

  it('has one typed descriptor per event message, named as the message, routed to an event topic', () => {
    expect(EventTypes.map((e) => e.type).sort()).toEqual(eventMessages.map((m) => m.name).sort());
    for (const event of EventTypes) {
      expect(event.message, event.type).toBe((events as Record<string, unknown>)[event.type]);
      expect(EventTopics, event.type).toContain(event.topic);
    }
  });

  it("checks a decoded payload against its descriptor's declarations", () => {
    const good = {
      meta: undefined,
      userId: '7d9f4c1e-2b3a-4c5d-8e6f-0a1b2c3d4e5f',
      nickname: 'ada',
      blogSlug: 'ada',
    };
    expect(UserCreated.problems(good)).toEqual([]);
    expect(UserCreated.problems({ ...good, userId: 'u1' })).toEqual(['userId "u1" is not a UUID']);
  });
});
