// The connector file is the one copy of the Debezium config: these tests pin it to what the stack creates
// (publication, heartbeat table, outbox tables) and to the topic contract of @blog/proto.
import { AggregateTypes, EventTopics, topicFor } from '@blog/proto';
import type { ConnectorConfig, ConnectorStatus, KafkaConnectClient } from '@blog/kafka-connect';
import { ConnectError } from '@blog/kafka-connect';
import { describe, expect, it } from 'vitest';
import { loadStackConfig } from '../config';
import { heartbeatTable, publicationName, replicationRole } from '../postgres/bootstrap';
import { services } from '../services';
import { loadConnectorDefinition, registerConnector, sameConfig } from './connector';
import { connectorEnv } from './worker';

const { config } = loadConnectorDefinition(loadStackConfig({}).connectorFile);

describe('deploy/connector/debezium-outbox.json', () => {
  it('takes every connection setting from ${env:...} so one file serves every environment', () => {
    for (const key of [
      'database.hostname',
      'database.port',
      'database.user',
      'database.password',
      'database.dbname',
    ]) {
      expect(config[key]).toMatch(/^\$\{env:DEBEZIUM_PG_[A-Z]+\}$/);
    }
    const provided = connectorEnv(loadStackConfig({}), {
      admin: '',
      debezium: 'pw',
      services: {} as never,
      kafka: {},
    });
    for (const key of [
      'database.hostname',
      'database.port',
      'database.user',
      'database.password',
      'database.dbname',
    ]) {
      const variable = /\$\{env:([A-Z_]+)\}/.exec(config[key] ?? '')?.[1] ?? 'none';
      expect(provided).toHaveProperty(variable);
    }
    expect(provided['DEBEZIUM_PG_USER']).toBe(replicationRole);
  });

  it('reads the publication the stack creates, and never creates one itself', () => {
    expect(config['plugin.name']).toBe('pgoutput');
    expect(config['publication.name']).toBe(publicationName);
    expect(config['publication.autocreate.mode']).toBe('disabled');
    expect(config['snapshot.mode']).toBe('no_data');
  });

  it('captures every service outbox table, not the heartbeat table', () => {
    const include = new RegExp(`^(?:${(config['table.include.list'] ?? '').split(',').join('|')})$`);
    for (const service of services) expect(`${service.schema}.outbox`).toMatch(include);
    expect(heartbeatTable).not.toMatch(include);
  });

  it('beats into the heartbeat table the stack creates', () => {
    expect(Number(config['heartbeat.interval.ms'])).toBeGreaterThan(0);
    expect(config['heartbeat.action.query']).toContain(`INTO ${heartbeatTable} `);
  });

  it('routes by aggregatetype to the topics of the proto contract', () => {
    expect(config['transforms.outbox.type']).toBe('io.debezium.transforms.outbox.EventRouter');
    expect(config['transforms.outbox.route.by.field']).toBe('aggregatetype');
    const route = (aggregateType: string) =>
      (config['transforms.outbox.route.topic.replacement'] ?? '').replace('${routedByValue}', aggregateType);
    for (const type of Object.values(AggregateTypes)) expect(EventTopics).toContain(route(type));
    expect(route(AggregateTypes.account)).toBe(topicFor(AggregateTypes.account));
  });

  it('keys by aggregateid, emits the payload bytes as they are and the headers of the contract', () => {
    expect(config['transforms.outbox.table.field.event.key']).toBe('aggregateid');
    expect(config['transforms.outbox.table.field.event.payload']).toBe('payload');
    expect(config['key.converter']).toBe('org.apache.kafka.connect.storage.StringConverter');
    // The payload bytes pass through as the record value, whatever content type they are in.
    expect(config['value.converter']).toBe('io.debezium.converters.BinaryDataConverter');
    // The EventRouter always writes the `id` header itself; the others come from the placement list.
    expect(config['transforms.outbox.table.field.event.id']).toBe('id');
    expect((config['transforms.outbox.table.fields.additional.placement'] ?? '').split(',').sort()).toEqual([
      'content_type:header:contentType',
      'saga_id:header:sagaId',
      'traceparent:header:traceparent',
      'type:header:eventType',
    ]);
  });
});

describe('sameConfig', () => {
  it('ignores the name entry and key order', () => {
    expect(sameConfig({ name: 'x', a: '1', b: '2' }, { b: '2', a: '1' })).toBe(true);
    expect(sameConfig({ a: '1' }, { a: '2' })).toBe(false);
    expect(sameConfig({ a: '1' }, { a: '1', b: '2' })).toBe(false);
  });
});

describe('registerConnector', () => {
  const running: ConnectorStatus = {
    name: 'c',
    connector: { state: 'RUNNING', worker_id: 'w' },
    tasks: [{ id: 0, state: 'RUNNING', worker_id: 'w' }],
  };

  /** client is an in-memory stand-in that records the calls registerConnector makes. */
  function client(stored: ConnectorConfig | undefined) {
    const calls: string[] = [];
    const fake: Partial<KafkaConnectClient> = {
      config: async () => {
        calls.push('config');
        if (!stored) throw new ConnectError('GET: 404', 404, 404, 'GET /connectors/c/config');
        return stored;
      },
      createOrUpdate: async (name, next) => {
        calls.push('put');
        const created = stored === undefined;
        stored = { ...next, name };
        return { created, info: { name, config: stored, tasks: [] } };
      },
      waitUntilRunning: async () => {
        calls.push('wait');
        return running;
      },
    };
    return { fake: fake as KafkaConnectClient, calls };
  }

  it('creates a missing connector', async () => {
    const { fake, calls } = client(undefined);
    expect(await registerConnector(fake, { name: 'c', config: { a: '1' } })).toMatchObject({
      created: true,
      changed: true,
    });
    expect(calls).toEqual(['config', 'put', 'wait']);
  });

  it('does not PUT an unchanged config again (a PUT restarts the connector)', async () => {
    const { fake, calls } = client({ name: 'c', a: '1' });
    expect(await registerConnector(fake, { name: 'c', config: { a: '1' } })).toMatchObject({
      created: false,
      changed: false,
    });
    expect(calls).toEqual(['config', 'wait']);
  });

  it('updates a changed config', async () => {
    const { fake, calls } = client({ name: 'c', a: '1' });
    expect(await registerConnector(fake, { name: 'c', config: { a: '2' } })).toMatchObject({
      created: false,
      changed: true,
    });
    expect(calls).toEqual(['config', 'put', 'wait']);
  });
});
