// The outbox through the real path: PostgreSQL WAL -> Debezium (Kafka Connect, EventRouter) -> Kafka.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrokerMessage } from '../broker';
import { ITEM_ADDED } from '../inbox/testing/items';
import { createScenario, waitFor, type Scenario } from '../inbox/testing/stack';

describe('outbox -> Debezium -> Kafka', () => {
  let scenario: Scenario;
  const received: BrokerMessage[] = [];

  beforeAll(async () => {
    scenario = await createScenario('outbox');
    await scenario.broker.subscribe({
      topics: [scenario.topic],
      groupId: `it-raw-${scenario.suffix}`,
      handler: async (message) => void received.push(message),
    });
  });
  afterAll(() => scenario?.dispose());

  it('publishes a committed event to events.<aggregatetype> with its key, value and headers; a rolled-back one never', async () => {
    const { store, outbox, aggregateType } = scenario;
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const payload = { aggregateId: 'agg-1', seq: 1, nested: { text: 'héllo "quoted"', list: [1, 2] } };
    const committedId = await store.withTransaction((tx) =>
      outbox.add(tx, {
        aggregateType,
        aggregateId: 'agg-1',
        type: ITEM_ADDED,
        payload,
        traceparent,
        sagaId: 'saga-1',
      }),
    );
    let rolledBackId: string | undefined;
    await expect(
      store.withTransaction(async (tx) => {
        rolledBackId = await outbox.add(tx, {
          aggregateType,
          aggregateId: 'agg-1',
          type: ITEM_ADDED,
          payload: { seq: 2 },
        });
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    // Same key, hence same partition, committed after the rolled-back one: once it is here, the other would be too.
    const markerId = await store.withTransaction((tx) =>
      outbox.add(tx, { aggregateType, aggregateId: 'agg-1', type: ITEM_ADDED, payload: { seq: 3 } }),
    );
    await waitFor('the marker event', () => received.some((m) => m.headers.id === markerId));

    expect(received.map((m) => m.headers.id)).toEqual([committedId, markerId]);
    expect(received.map((m) => m.headers.id)).not.toContain(rolledBackId);
    const [event] = received;
    expect(event.topic).toBe(`events.${aggregateType}`);
    expect(event.key).toBe('agg-1');
    expect(JSON.parse(String(event.value))).toEqual(payload);
    expect(event.headers).toMatchObject({
      id: committedId,
      eventType: ITEM_ADDED,
      traceparent,
      sagaId: 'saga-1',
    });
    const left = await store.query<{ count: string }>(
      'select count(*) from outbox where aggregatetype = $1',
      [aggregateType],
    );
    expect(left.rows[0].count).toBe('0');
  });
});
