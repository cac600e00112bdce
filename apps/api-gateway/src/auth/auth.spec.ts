// Authentication against the fake auth service: local verification with the JWKS, refetch on an unknown key id
// (rate-limited), and refusal of tokens once the account's deletion was requested, here or through another replica.
import { auth } from '@blog/proto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newSigningKey } from '../testing/signing-key';
import type { TestUser } from '../testing/fixtures';
import { type Harness, startHarness, TEST_SETTINGS } from '../testing/harness';
import { eventually, sleep } from '../testing/http';

describe('authentication', () => {
  let harness: Harness;
  let user: TestUser;
  beforeEach(async () => {
    harness = await startHarness({ settings: { accountStatusTtlMs: 200 } });
    user = await harness.fixtures.user();
  });
  afterEach(() => harness.close());

  const me = (token = user.accessToken) => harness.http.get('/v1/users/me', { token });

  it('verifies tokens locally: no auth call per request beyond the cached status check', async () => {
    // A TTL far longer than the test, so a slow machine cannot expire the cache between the requests.
    const longLived = await startHarness({ settings: { accountStatusTtlMs: 600_000 } });
    try {
      const reader = await longLived.fixtures.user();
      longLived.backend.reset();
      for (let i = 0; i < 5; i++) {
        expect((await longLived.http.get('/v1/users/me', { token: reader.accessToken })).status).toBe(200);
      }
      expect(longLived.backend.callCount('auth', 'getJwks')).toBe(0);
      expect(longLived.backend.callCount('auth', 'getAccount')).toBe(1);
    } finally {
      await longLived.close();
    }
  });

  it('refuses tokens of an account whose deletion another replica accepted, within the status TTL', async () => {
    expect((await me()).status).toBe(200);
    const account = harness.world.accounts.get(user.accountId);
    expect(account).toBeDefined();
    Object.assign(account ?? {}, { status: auth.AccountStatus.ACCOUNT_STATUS_DELETING });
    // The TTL is 200 ms here: the refusal must come once it expires (the bound is slack for a loaded machine).
    await eventually(async () => expect((await me()).status).toBe(401), 5000, 10);
  });

  it('refuses the token at once in the replica that served DELETE /v1/accounts/me', async () => {
    expect((await me()).status).toBe(200);
    harness.backend.reset();
    expect((await harness.http.delete('/v1/accounts/me', { token: user.accessToken })).status).toBe(202);
    const refused = await me();
    expect(refused.status).toBe(401);
    expect(refused.body.error.message).toMatch(/not active/);
    expect(harness.backend.callCount('auth', 'getAccount')).toBe(0);
  });

  it('keeps serving a known ACTIVE account for a short while when auth is down, then answers 503', async () => {
    expect((await me()).status).toBe(200);
    await harness.backend.stopService('auth');
    await sleep(250);
    expect((await me()).status).toBe(200);
    const stranger = await harness.world.accessToken('00000000-0000-4000-8000-0000000000aa');
    const unknown = await me(stranger);
    expect(unknown.status).toBe(503);
    expect(unknown.headers.get('retry-after')).toMatch(/^\d+$/);
  });

  it('refetches the JWKS once for an unknown kid (key rotation)', async () => {
    const rotated = await newSigningKey();
    harness.world.keys.unshift(rotated);
    await sleep(350); // past the refetch cooldown (300 ms in the harness) that started with the initial fetch
    harness.backend.reset();
    const token = await harness.world.accessToken(user.accountId, { key: rotated });
    expect((await me(token)).status).toBe(200);
    expect((await me(token)).status).toBe(200);
    expect(harness.backend.callCount('auth', 'getJwks')).toBe(1);
    expect(harness.gateway.keys.keyIds).toContain(rotated.kid);
  });

  it('refuses tokens with forged kids without calling auth within the refetch cooldown', async () => {
    // A cooldown far longer than the test, started by the gateway's initial fetch: a burst of forged kids, however
    // slowly a loaded machine serves it, must not reach auth (jwks-key-store.spec.ts shows the one refetch after it).
    const guarded = await startHarness({
      settings: { keys: { ...TEST_SETTINGS.keys, unknownKidCooldownMs: 600_000 } },
    });
    try {
      const reader = await guarded.fixtures.user();
      guarded.backend.reset();
      const forger = await newSigningKey();
      const attempts = await Promise.all(
        Array.from({ length: 5 }, async () =>
          guarded.http.get('/v1/users/me', {
            token: await guarded.world.accessToken(reader.accountId, { key: forger }),
          }),
        ),
      );
      for (const response of attempts) expect(response.status).toBe(401);
      expect(guarded.backend.callCount('auth', 'getJwks')).toBe(0);
      // The genuine token of the same account still passes: only the forged kids were refused.
      expect((await guarded.http.get('/v1/users/me', { token: reader.accessToken })).status).toBe(200);
    } finally {
      await guarded.close();
    }
  });
});
