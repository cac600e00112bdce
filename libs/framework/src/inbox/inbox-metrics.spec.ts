import { randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { newSagaId } from '../outbox';
import { InboxMetrics, uuidV7Millis } from './inbox-metrics';

const sample = async (registry: Registry, name: string, labels: Record<string, string>) => {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  const values = (metric?.values ?? []) as {
    labels: Record<string, string | number>;
    value: number;
    metricName?: string;
  }[];
  return values.find((v) => Object.entries(labels).every(([k, val]) => String(v.labels[k]) === val))?.value;
};

describe('saga ids', () => {
  it('are UUIDv7 whose first 48 bits are the milliseconds they were made at', () => {
    const before = Date.now();
    const id = newSagaId();
    const after = Date.now();
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const millis = uuidV7Millis(id) as number;
    expect(millis).toBeGreaterThanOrEqual(before);
    expect(millis).toBeLessThanOrEqual(after);
    expect(uuidV7Millis(randomUUID())).toBeUndefined();
  });
});

describe('InboxMetrics', () => {
  it('counts outbox events by type and a terminal event as its saga outcome with the saga duration', async () => {
    const registry = new Registry();
    const metrics = new InboxMetrics(registry);
    const sagaId = newSagaId();
    const started = uuidV7Millis(sagaId) as number;
    metrics.outboxAdded('AccountCreated', sagaId, started + 10);
    metrics.outboxAdded('AccountActivated', sagaId, started + 1_500);
    metrics.outboxAdded('UserRejected', randomUUID());
    expect(await sample(registry, 'blog_outbox_events_total', { event_type: 'AccountCreated' })).toBe(1);
    expect(
      await sample(registry, 'blog_saga_outcomes_total', { saga: 'sign-up', outcome: 'completed' }),
    ).toBe(1);
    expect(await sample(registry, 'blog_saga_outcomes_total', { saga: 'sign-up', outcome: 'rejected' })).toBe(
      1,
    );
    // Only the v7 id gives a duration: 1.5 s, in the 2.5 s bucket and not the 1 s one.
    const histogram = 'blog_saga_duration_seconds';
    expect(await sample(registry, histogram, { saga: 'sign-up', outcome: 'completed', le: '1' })).toBe(0);
    expect(await sample(registry, histogram, { saga: 'sign-up', outcome: 'completed', le: '2.5' })).toBe(1);
    expect(
      await sample(registry, histogram, { saga: 'sign-up', outcome: 'rejected', le: '+Inf' }),
    ).toBeUndefined();
  });

  it('reports the lag after a record from the high watermark, and nothing when the client gives none', async () => {
    const registry = new Registry();
    const metrics = new InboxMetrics(registry);
    metrics.consumed('user', 'events.auth.account', 2, '41', '50');
    metrics.consumed('user', 'events.auth.account', 3, '7', undefined);
    expect(await sample(registry, 'blog_consumer_lag', { group: 'user', partition: '2' })).toBe(8);
    expect(await sample(registry, 'blog_consumer_lag', { group: 'user', partition: '3' })).toBeUndefined();
    metrics.consumed('user', 'events.auth.account', 2, '49', '50');
    expect(await sample(registry, 'blog_consumer_lag', { group: 'user', partition: '2' })).toBe(0);
  });
});
