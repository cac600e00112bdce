// The data plane's variables: the consumer-group timing that bounds how long a killed member's partitions wait.
import { describe, expect, it } from 'vitest';
import { baseConfig, ConfigError, loadConfig } from '../config';
import { dataConfig } from './data-plane';

const schema = baseConfig({ grpcPort: 7052, adminPort: 9102 }).extend(dataConfig.shape);
const required = {
  DATABASE_URL: 'postgres://u:p@h:5432/blog',
  KAFKA_BROKERS: 'k:9092',
  KAFKA_USERNAME: 'user',
  KAFKA_PASSWORD: 'secret',
};

describe('dataConfig', () => {
  it('defaults to 6 s consumer sessions (the broker minimum), 1 s heartbeats and 20 s rebalances', () => {
    const config = loadConfig(schema, required);
    expect([
      config.KAFKA_SESSION_TIMEOUT_MS,
      config.KAFKA_HEARTBEAT_INTERVAL_MS,
      config.KAFKA_REBALANCE_TIMEOUT_MS,
    ]).toEqual([6_000, 1_000, 20_000]);
  });

  it('takes the timing from the environment and refuses nonsense', () => {
    const config = loadConfig(schema, {
      ...required,
      KAFKA_SESSION_TIMEOUT_MS: '30000',
      KAFKA_HEARTBEAT_INTERVAL_MS: '3000',
    });
    expect([config.KAFKA_SESSION_TIMEOUT_MS, config.KAFKA_HEARTBEAT_INTERVAL_MS]).toEqual([30_000, 3_000]);
    expect(() => loadConfig(schema, { ...required, KAFKA_SESSION_TIMEOUT_MS: 'soon' })).toThrow(ConfigError);
  });

  it('requires the Kafka credentials, naming each missing or bad variable, with SCRAM-SHA-512 by default', () => {
    expect(loadConfig(schema, required).KAFKA_SASL_MECHANISM).toBe('scram-sha-512');
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(schema, env);
        return [];
      } catch (error) {
        return (error as ConfigError).problems;
      }
    };
    const { KAFKA_USERNAME: _user, KAFKA_PASSWORD: _password, ...anonymous } = required;
    expect(problems(anonymous)).toEqual(['KAFKA_USERNAME: is required', 'KAFKA_PASSWORD: is required']);
    expect(problems({ ...required, KAFKA_SASL_MECHANISM: 'gssapi' })).toEqual([
      'KAFKA_SASL_MECHANISM: must be one of scram-sha-512, scram-sha-256, plain',
    ]);
  });
});
