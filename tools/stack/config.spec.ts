import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadStackConfig, repoRoot } from './config';
import { StackError } from './errors';

describe('loadStackConfig', () => {
  it('defaults to .stack at the repo root and the workspace ports', () => {
    const config = loadStackConfig({});
    expect(config.stackDir).toBe(join(repoRoot, '.stack'));
    expect(config.jvmDir).toBe(join(repoRoot, '.stack', 'jvm'));
    expect(config.ports).toEqual({
      postgres: 15432,
      kafka: 9092,
      controller: 9093,
      connect: 8083,
      gateway: 8080,
      zipkin: 9411,
    });
    expect(config.host).toBe('127.0.0.1');
  });

  it('takes every port and the state folder from the environment', () => {
    const config = loadStackConfig({
      STACK_DIR: '/tmp/elsewhere',
      PG_PORT: '6000',
      KAFKA_PORT: '6001',
      KAFKA_CONTROLLER_PORT: '6002',
      CONNECT_PORT: '6003',
      GATEWAY_PORT: '6004',
      ZIPKIN_PORT: '6005',
    });
    expect(config.stackDir).toBe('/tmp/elsewhere');
    expect(config.postgresDir).toBe('/tmp/elsewhere/postgres');
    expect(config.ports).toEqual({
      postgres: 6000,
      kafka: 6001,
      controller: 6002,
      connect: 6003,
      gateway: 6004,
      zipkin: 6005,
    });
  });

  it('rejects a port that is not one, naming the variable', () => {
    expect(() => loadStackConfig({ KAFKA_PORT: 'abc' })).toThrow(StackError);
    expect(() => loadStackConfig({ KAFKA_PORT: '70000' })).toThrow('KAFKA_PORT=70000 is not a port');
  });
});
