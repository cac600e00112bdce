// The data plane's variables: the consumer-group timing that bounds how long a killed member's partitions wait.
import { describe, expect, it } from 'vitest';
import { baseConfig, ConfigError, loadConfig } from '../config';
import { dataConfig } from './data-plane';

const schema = baseConfig({ grpcPort: 7052, adminPort: 9102 }).extend(dataConfig.shape);
const required = { DATABASE_URL: 'postgres://u:p@h:5432/blog', KAFKA_BROKERS: 'k:9092' };

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
});
