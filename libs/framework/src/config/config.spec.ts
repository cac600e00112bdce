import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { baseConfig, ConfigError, loadConfig } from './index';

const schema = baseConfig({ grpcPort: 7052, adminPort: 9102 }).extend({
  DATABASE_URL: z.url(),
  KAFKA_BROKERS: z.string().min(1),
});

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(schema, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies the service defaults and coerces numbers', () => {
    const config = loadConfig(schema, {
      DATABASE_URL: 'postgres://u:p@localhost:15432/blog',
      KAFKA_BROKERS: 'a:9092',
    });
    expect(config).toMatchObject({
      GRPC_HOST: '127.0.0.1',
      GRPC_PORT: 7052,
      ADMIN_PORT: 9102,
      LOG_LEVEL: 'info',
      SHUTDOWN_TIMEOUT_MS: 10_000,
      NODE_ENV: 'development',
    });
    expect(
      loadConfig(schema, { DATABASE_URL: 'postgres://x/y', KAFKA_BROKERS: 'a', GRPC_PORT: '0' }).GRPC_PORT,
    ).toBe(0);
  });

  it('reports every bad or missing variable at once, one line each, naming the variable', () => {
    const problems = problemsOf({
      GRPC_PORT: 'abc',
      ADMIN_PORT: '70000',
      LOG_LEVEL: 'loud',
      SHUTDOWN_TIMEOUT_MS: '-5',
      DATABASE_URL: 'not a url',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'nope',
      OTEL_TRACES_EXPORTER: 'jaeger',
      OTEL_EXPORTER_ZIPKIN_ENDPOINT: 'zipkin',
    });
    expect(problems).toHaveLength(9);
    const byVariable = Object.fromEntries(problems.map((line) => [line.split(':')[0], line]));
    expect(Object.keys(byVariable).sort()).toEqual([
      'ADMIN_PORT',
      'DATABASE_URL',
      'GRPC_PORT',
      'KAFKA_BROKERS',
      'LOG_LEVEL',
      'OTEL_EXPORTER_OTLP_ENDPOINT',
      'OTEL_EXPORTER_ZIPKIN_ENDPOINT',
      'OTEL_TRACES_EXPORTER',
      'SHUTDOWN_TIMEOUT_MS',
    ]);
    expect(byVariable['OTEL_TRACES_EXPORTER']).toBe(
      'OTEL_TRACES_EXPORTER: must be otlp, zipkin, console or none (or a comma-separated list of them)',
    );
    expect(byVariable['GRPC_PORT']).toBe('GRPC_PORT: must be a port number');
    expect(byVariable['ADMIN_PORT']).toBe('ADMIN_PORT: must be a port number between 0 and 65535');
    expect(byVariable['KAFKA_BROKERS']).toBe('KAFKA_BROKERS: is required');
    expect(byVariable['SHUTDOWN_TIMEOUT_MS']).toBe('SHUTDOWN_TIMEOUT_MS: must not be negative');
    expect(byVariable['LOG_LEVEL']).toMatch(/^LOG_LEVEL: .*info/);
    for (const line of problems) expect(line).not.toContain('\n');
  });

  it('treats an empty variable as unset', () => {
    expect(problemsOf({ DATABASE_URL: '', KAFKA_BROKERS: 'a' })).toEqual(['DATABASE_URL: is required']);
    expect(
      loadConfig(schema, { DATABASE_URL: 'postgres://x/y', KAFKA_BROKERS: 'a', GRPC_PORT: '' }).GRPC_PORT,
    ).toBe(7052);
  });

  it('puts every problem in the error message too', () => {
    expect(() => loadConfig(schema, {})).toThrow(/DATABASE_URL: is required\n {2}KAFKA_BROKERS: is required/);
  });
});
