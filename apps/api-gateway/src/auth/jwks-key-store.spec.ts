// Unit tests of the key store's refetch limit: a token with an unknown kid refetches the JWKS at most once per
// cooldown, however many such tokens arrive. The clock is Vitest's fake Date, moved by hand, so "within the
// cooldown" and "after it" are exact whatever the machine's load (auth.spec.ts covers the same over gRPC).
import type { JWK } from 'jose';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { newSigningKey, type SigningKey } from '../testing/signing-key';
import { JwksKeyStore } from './jwks-key-store';

const COOLDOWN_MS = 10_000;
const logger = pino({ level: 'silent' });
/** advance moves the fake clock forward; timers stay real. */
const advance = (ms: number) => vi.setSystemTime(Date.now() + ms);
/** header is a token header naming `kid`; the store picks the key by header alone. */
const header = (kid: string) => ({ alg: 'EdDSA', kid });
const TOKEN = { payload: '', protected: '', signature: '' };

/** servedKeys is an auth service whose JWKS the test sets, counting the fetches. */
function servedKeys(...initial: SigningKey[]) {
  const served = { keys: [...initial], fetches: 0 };
  const fetchKeys = async (): Promise<JWK[]> => {
    served.fetches++;
    return served.keys.map((key) => key.publicJwk);
  };
  return { served, fetchKeys };
}

describe('JwksKeyStore', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('refetches once for a burst of unknown kids, and never within the cooldown of the last fetch', async () => {
    const { served, fetchKeys } = servedKeys(await newSigningKey());
    const store = new JwksKeyStore({ fetchKeys, logger, unknownKidCooldownMs: COOLDOWN_MS });
    expect(await store.refresh()).toBe(true);
    expect(served.fetches).toBe(1);
    const burst = () =>
      Promise.allSettled(Array.from({ length: 5 }, (_, i) => store.getKey(header(`forged-${i}`), TOKEN)));

    // Within the cooldown of the initial fetch: refused without asking auth.
    for (const outcome of await burst()) expect(outcome.status).toBe('rejected');
    expect(served.fetches).toBe(1);
    advance(COOLDOWN_MS - 1);
    await burst();
    expect(served.fetches).toBe(1);

    // Past it: the first unknown kid refetches, the other four share that fetch or meet the new cooldown.
    advance(1);
    for (const outcome of await burst()) expect(outcome.status).toBe('rejected');
    expect(served.fetches).toBe(2);
    await burst();
    expect(served.fetches).toBe(2);
    advance(COOLDOWN_MS);
    await burst();
    expect(served.fetches).toBe(3);
  });

  it('resolves a rotated key through that refetch, and then without one', async () => {
    const first = await newSigningKey();
    const { served, fetchKeys } = servedKeys(first);
    const store = new JwksKeyStore({ fetchKeys, logger, unknownKidCooldownMs: COOLDOWN_MS });
    await store.refresh();
    const rotated = await newSigningKey();
    served.keys.unshift(rotated);

    // Within the cooldown even a real new key waits for the next allowed fetch.
    await expect(store.getKey(header(rotated.kid), TOKEN)).rejects.toThrow();
    advance(COOLDOWN_MS);
    await expect(store.getKey(header(rotated.kid), TOKEN)).resolves.toBeDefined();
    expect(store.keyIds).toEqual([rotated.kid, first.kid]);
    await expect(store.getKey(header(rotated.kid), TOKEN)).resolves.toBeDefined();
    await expect(store.getKey(header(first.kid), TOKEN)).resolves.toBeDefined();
    expect(served.fetches).toBe(2);
  });

  it('answers NoKeysError while auth has never answered, retrying at most once per cooldown', async () => {
    let fetches = 0;
    const store = new JwksKeyStore({
      fetchKeys: async () => {
        fetches++;
        throw new Error('auth is down');
      },
      logger,
      unknownKidCooldownMs: COOLDOWN_MS,
    });
    await expect(store.getKey(header('any'), TOKEN)).rejects.toThrow('no token keys loaded yet');
    await expect(store.getKey(header('any'), TOKEN)).rejects.toThrow('no token keys loaded yet');
    expect(fetches).toBe(1);
    expect(store.loaded).toBe(false);
  });
});
