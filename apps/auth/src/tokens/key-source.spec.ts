import { loadConfig } from '@blog/framework';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { authConfig } from '../config';
import { DEV_KEYS_FILE } from './dev-keys';
import { loadKeyRing } from './key-source';
import { generatePrivateJwk } from './signing-keys';

const base = {
  DATABASE_URL: 'postgres://a:b@127.0.0.1:1/blog',
  KAFKA_BROKERS: '127.0.0.1:9092',
  KAFKA_USERNAME: 'auth',
  KAFKA_PASSWORD: 'x',
};
const logger = pino({ level: 'silent' });
let dir: string | undefined;
afterAll(() => dir && rm(dir, { recursive: true, force: true }));

describe('key source', () => {
  it('uses AUTH_JWT_PRIVATE_KEYS when set, the first key signing', async () => {
    const keys = [await generatePrivateJwk('p1'), await generatePrivateJwk('p2')];
    const config = loadConfig(authConfig, { ...base, AUTH_JWT_PRIVATE_KEYS: JSON.stringify(keys) });
    const ring = await loadKeyRing(config, logger);
    expect(ring.signing.kid).toBe('p1');
    expect(ring.publicKeys.map((k) => k.kid)).toEqual(['p1', 'p2']);
  });

  it('names AUTH_JWT_PRIVATE_KEYS when a key there is broken', async () => {
    const [a, b] = [await generatePrivateJwk('a'), await generatePrivateJwk('b')];
    const config = loadConfig(authConfig, {
      ...base,
      AUTH_JWT_PRIVATE_KEYS: JSON.stringify([{ ...a, x: b.x }]),
    });
    await expect(loadKeyRing(config, logger)).rejects.toThrow(/^AUTH_JWT_PRIVATE_KEYS: key "a"/);
  });

  it('outside production, keeps dev keys in AUTH_DEV_KEYS_DIR across restarts', async () => {
    dir = await mkdtemp(join(tmpdir(), 'auth-keys-'));
    const config = loadConfig(authConfig, { ...base, AUTH_DEV_KEYS_DIR: dir });
    const first = await loadKeyRing(config, logger);
    const second = await loadKeyRing(config, logger);
    expect(first.signing.kid).toMatch(/^dev-/);
    expect(second.publicKeys).toEqual(first.publicKeys);
    const { existsSync } = await import('node:fs');
    expect(existsSync(join(dir, DEV_KEYS_FILE))).toBe(true);
  });

  it('without either, uses a key that lives in memory only', async () => {
    const config = loadConfig(authConfig, base);
    const [a, b] = [await loadKeyRing(config, logger), await loadKeyRing(config, logger)];
    expect(a.signing.kid).toMatch(/^ephemeral-/);
    expect(a.publicKeys[0].x).not.toBe(b.publicKeys[0].x);
  });
});
