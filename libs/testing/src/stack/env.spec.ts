import { describe, expect, it } from 'vitest';
import { databaseUrlVariable, serviceEnv, stackEnv } from './env';

const stack = {
  KAFKA_BROKERS: '127.0.0.1:9092',
  AUTH_DATABASE_URL: 'postgres://auth_svc:pw@127.0.0.1:55432/blog',
  STACK_CERTS_DIR: '/stack/certs',
  AUTH_KAFKA_PASSWORD: 'kafka-pw',
};

describe('stack environment', () => {
  it('names the database variable of a service', () => {
    expect(databaseUrlVariable('subscribe')).toBe('SUBSCRIBE_DATABASE_URL');
  });

  it("gives a service loopback, ephemeral ports, its own role's URL, certificate and Kafka user, debug logs and fast retries", () => {
    expect(serviceEnv('auth', {}, stack)).toEqual({
      NODE_ENV: 'test',
      GRPC_HOST: '127.0.0.1',
      GRPC_PORT: '0',
      ADMIN_PORT: '0',
      LOG_LEVEL: 'debug',
      DATABASE_URL: stack.AUTH_DATABASE_URL,
      KAFKA_BROKERS: stack.KAFKA_BROKERS,
      TLS_CA_FILE: '/stack/certs/auth/ca.crt',
      TLS_CERT_FILE: '/stack/certs/auth/tls.crt',
      TLS_KEY_FILE: '/stack/certs/auth/tls.key',
      KAFKA_USERNAME: 'auth',
      KAFKA_PASSWORD: 'kafka-pw',
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      INBOX_RETRY_ATTEMPTS: '2',
    });
  });

  it('lets a test add or replace variables', () => {
    expect(serviceEnv('auth', { AUTH_DEV_KEYS_DIR: '/tmp/k', LOG_LEVEL: 'info' }, stack)).toMatchObject({
      AUTH_DEV_KEYS_DIR: '/tmp/k',
      LOG_LEVEL: 'info',
    });
  });

  it('fails naming the variable the global setup did not export', () => {
    expect(() => serviceEnv('user', {}, stack)).toThrow('USER_DATABASE_URL is not set');
    expect(() => stackEnv('CONNECT_URL', {})).toThrow('CONNECT_URL is not set');
  });
});
