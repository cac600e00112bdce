import { ConfigError, loadConfig } from '@blog/framework';
import { describe, expect, it } from 'vitest';
import { authConfig } from './config';
import { generatePrivateJwk } from './tokens/signing-keys';

const base = {
  DATABASE_URL: 'postgres://auth_svc:x@127.0.0.1:55432/blog',
  KAFKA_BROKERS: '127.0.0.1:9092',
  KAFKA_USERNAME: 'auth',
  KAFKA_PASSWORD: 'x',
};

function problems(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(authConfig, env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe('auth config', () => {
  it('has the token defaults of the contract', () => {
    const config = loadConfig(authConfig, base);
    expect(config).toMatchObject({
      GRPC_PORT: 7051,
      ADMIN_PORT: 9101,
      AUTH_JWT_ISSUER: 'blog-auth',
      AUTH_JWT_AUDIENCE: 'blog-api',
      AUTH_ACCESS_TOKEN_TTL_SECONDS: 900,
      AUTH_REFRESH_TOKEN_TTL_DAYS: 30,
      AUTH_PASSWORD_HASH_CONCURRENCY: 2,
      AUTH_PASSWORD_HASH_QUEUE: 16,
    });
    expect(config.AUTH_JWT_PRIVATE_KEYS).toBeUndefined();
  });

  it('refuses production without AUTH_JWT_PRIVATE_KEYS, naming the variable', () => {
    expect(problems({ ...base, NODE_ENV: 'production', AUTH_DEV_KEYS_DIR: '/tmp/x' })).toEqual([
      'AUTH_JWT_PRIVATE_KEYS: is required',
    ]);
  });

  it('parses AUTH_JWT_PRIVATE_KEYS and accepts it in production', async () => {
    const key = await generatePrivateJwk('prod-1');
    const config = loadConfig(authConfig, {
      ...base,
      NODE_ENV: 'production',
      AUTH_JWT_PRIVATE_KEYS: JSON.stringify([key]),
    });
    expect(config.AUTH_JWT_PRIVATE_KEYS).toEqual([key]);
  });

  it('names AUTH_JWT_PRIVATE_KEYS when it is not a JSON array of Ed25519 JWKs, without echoing it', async () => {
    const secret = 'super-secret-value';
    expect(problems({ ...base, AUTH_JWT_PRIVATE_KEYS: secret })).toEqual([
      'AUTH_JWT_PRIVATE_KEYS: must be a JSON array of private Ed25519 JWKs (with kid)',
    ]);
    const key = await generatePrivateJwk('k');
    const wrong = problems({ ...base, AUTH_JWT_PRIVATE_KEYS: JSON.stringify([{ ...key, crv: 'P-256' }]) });
    expect(wrong).toHaveLength(1);
    expect(wrong[0]).toMatch(/^AUTH_JWT_PRIVATE_KEYS\.0\.crv: /);
    expect(wrong.join()).not.toContain(key.d);
    expect(problems({ ...base, AUTH_JWT_PRIVATE_KEYS: '[]' })[0]).toMatch(/^AUTH_JWT_PRIVATE_KEYS: /);
  });
});
