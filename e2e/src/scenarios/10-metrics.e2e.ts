// The event-path metrics on each service's /metrics move with what happens: a poison record raises the consumer's
// dead-letter counter (by topic and reason), a finished sign-up the saga outcome counter and the saga duration of
// the service that wrote its terminal event (auth), and the outbox counter by event type. Local mode (admin ports).
import { randomUUID } from 'node:crypto';
import { AggregateTypes, topicFor } from '@blog/proto';
import type { BrokerMessage } from '@blog/framework';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventually } from '../support/eventually';
import { EventLog } from '../support/kafka/event-log';
import { credentials, uniqueNickname } from '../support/rest/sagas';
import { scenario, suite } from '../support/suite';

const { ctx, sagas } = suite();
const accountTopic = topicFor(AggregateTypes.account);

/** metricValue reads one sample (0 when absent) from an app's /metrics; labels must all match. */
async function metricValue(app: string, name: string, labels: Record<string, string>): Promise<number> {
  const adminPort = ctx.appPorts?.[app]?.[1];
  expect(adminPort, `admin port of ${app}`).toBeDefined();
  const text = await (await fetch(`http://127.0.0.1:${adminPort}/metrics`)).text();
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  const line = text
    .split('\n')
    .find((l) => l.startsWith(`${name}{`) && wanted.every((label) => l.includes(label)));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

scenario('event-path metrics', ['local', 'kafka'], () => {
  let log: EventLog;
  beforeAll(async () => {
    log = await EventLog.connect(ctx.kafkaBrokers ?? [], ctx.kafkaSasl);
  });
  afterAll(async () => {
    await log?.close();
  });

  it('counts a poison record as dead-lettered by topic and reason', async () => {
    const labels = { topic: accountTopic, reason: 'undecodable' };
    const before = await metricValue('user', 'blog_inbox_dead_letters_total', labels);
    const poison = {
      topic: accountTopic,
      key: randomUUID(),
      value: Buffer.from('{"not":"an event"}'),
      headers: { id: randomUUID(), eventType: 'NoSuchEventType', contentType: 'application/json' },
    } as unknown as BrokerMessage;
    await log.reproduce([poison]);
    await eventually(
      async () => expect(await metricValue('user', 'blog_inbox_dead_letters_total', labels)).toBe(before + 1),
      { timeoutMs: 30_000, intervalMs: 250 },
    );
  });

  it('counts a completed sign-up, its duration and its events', async () => {
    const outcome = { saga: 'sign-up', outcome: 'completed' };
    const [completed, durations, activated] = await Promise.all([
      metricValue('auth', 'blog_saga_outcomes_total', outcome),
      metricValue('auth', 'blog_saga_duration_seconds_count', outcome),
      metricValue('auth', 'blog_outbox_events_total', { event_type: 'AccountActivated' }),
    ]);
    const account = await sagas.signUp(credentials(uniqueNickname('Me')));
    expect(account.status).toBe('ACTIVE');
    // The account reads ACTIVE once auth committed AccountActivated: the counters moved in the same step.
    expect(await metricValue('auth', 'blog_saga_outcomes_total', outcome)).toBe(completed + 1);
    expect(await metricValue('auth', 'blog_saga_duration_seconds_count', outcome)).toBe(durations + 1);
    expect(await metricValue('auth', 'blog_outbox_events_total', { event_type: 'AccountActivated' })).toBe(
      activated + 1,
    );
    // user handled AccountCreated: its handler histogram and its partition's lag are on its /metrics.
    expect(
      await metricValue('user', 'blog_inbox_handler_duration_seconds_count', {
        topic: accountTopic,
        event_type: 'AccountCreated',
        outcome: 'processed',
      }),
    ).toBeGreaterThan(0);
    const admin = ctx.appPorts?.['user']?.[1];
    const lines = (await (await fetch(`http://127.0.0.1:${admin}/metrics`)).text()).split('\n');
    expect(
      lines.some(
        (l) =>
          l.startsWith('blog_consumer_lag{') &&
          l.includes('group="user"') &&
          l.includes(`topic="${accountTopic}"`),
      ),
    ).toBe(true);
  });
});
