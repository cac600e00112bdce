import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { baseConfig, ConfigError, loadConfig } from '../config';
import { dataConfig } from '../service/data-plane';
import type { Broker } from './broker';
import { brokerNames, createBroker, registerBroker } from './brokers';
import { createKafkaBroker, KafkajsBroker, PlatformaticBroker } from './kafka';
import { MemoryBroker } from './memory';

const logger = pino({ level: 'silent' });
const kafka = { brokers: ['127.0.0.1:9'] };
const schema = baseConfig({ grpcPort: 7052, adminPort: 9102 }).extend(dataConfig.shape);
const required = {
  DATABASE_URL: 'postgres://u:p@h:5432/blog',
  KAFKA_BROKERS: 'k:9092',
  KAFKA_USERNAME: 'user',
  KAFKA_PASSWORD: 'secret',
};

describe('brokers by name', () => {
  it('builds kafka on the chosen client (platformatic by default) and memory, without connecting', () => {
    expect(createBroker('kafka', { clientId: 't', logger, kafka })).toBeInstanceOf(PlatformaticBroker);
    expect(
      createBroker('kafka', { clientId: 't', logger, kafka: { ...kafka, client: 'kafkajs' } }),
    ).toBeInstanceOf(KafkajsBroker);
    expect(createBroker('memory', { clientId: 't', logger })).toBeInstanceOf(MemoryBroker);
  });

  it('refuses an unknown broker naming BROKER and the known names, and kafka without brokers', () => {
    expect(() => createBroker('rabbit', { clientId: 't', logger })).toThrow(
      'BROKER: unknown broker "rabbit"; known: kafka, memory',
    );
    expect(() => createBroker('kafka', { clientId: 't', logger })).toThrow('KAFKA_BROKERS: is required');
    expect(() =>
      createKafkaBroker({ ...kafka, clientId: 't', logger, client: 'rdkafka' as 'kafkajs' }),
    ).toThrow('KAFKA_CLIENT: unknown Kafka client "rdkafka"; known: platformatic, kafkajs');
  });

  it('takes a registered broker by its name, once', () => {
    const fake = new MemoryBroker();
    registerBroker('spec-fake', () => fake as Broker);
    expect(brokerNames()).toContain('spec-fake');
    expect(createBroker('spec-fake', { clientId: 't', logger })).toBe(fake);
    expect(() => registerBroker('spec-fake', () => fake)).toThrow(
      'BROKER: "spec-fake" is already registered',
    );
  });
});

describe('BROKER and KAFKA_CLIENT in a service config', () => {
  it('default to kafka on platformatic and take the other client by name', () => {
    expect(loadConfig(schema, required)).toMatchObject({ BROKER: 'kafka', KAFKA_CLIENT: 'platformatic' });
    expect(loadConfig(schema, { ...required, KAFKA_CLIENT: 'kafkajs' }).KAFKA_CLIENT).toBe('kafkajs');
    expect(loadConfig(schema, { ...required, BROKER: 'memory' }).BROKER).toBe('memory');
  });

  it('refuse a bad name with a line naming the variable and the known names', () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(schema, { ...required, ...env });
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as Error).message;
      }
      throw new Error('the config was accepted');
    };
    expect(problems({ BROKER: 'nats' })).toMatch(/BROKER.*unknown broker "nats"; known: kafka, memory/);
    expect(problems({ KAFKA_CLIENT: 'rdkafka' })).toMatch(
      /KAFKA_CLIENT.*must be one of platformatic, kafkajs/,
    );
  });
});
