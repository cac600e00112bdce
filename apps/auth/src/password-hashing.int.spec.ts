// The bound on password hashing (passwords/hash-limiter.ts) in the real service: a burst of sign-ups beyond it is
// refused at once with RESOURCE_EXHAUSTED, the others are served, and the refused ones leave nothing behind.
import { failureOf } from '@blog/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HASHING_BUSY_REASON } from './passwords/hash-limiter';
import { signUp } from './testing/accounts';
import { startAuth, type AuthHarness } from './testing/harness';

describe('auth: bounded password hashing', () => {
  let h: AuthHarness;
  beforeAll(async () => {
    // One hash at a time, one waiting: a burst of 24 cannot all fit.
    h = await startAuth({ AUTH_PASSWORD_HASH_CONCURRENCY: '1', AUTH_PASSWORD_HASH_QUEUE: '1' });
  });
  afterAll(() => h?.stop());

  it('refuses sign-ups beyond the bound with RESOURCE_EXHAUSTED and serves the rest', async () => {
    const requests = Array.from({ length: 24 }, () => signUp());
    const outcomes = await Promise.all(
      requests.map((request) =>
        h.client.createAccount(request).then(
          () => ({ ok: true as const, email: request.email }),
          async (error: unknown) => ({
            ok: false as const,
            email: request.email,
            error: await failureOf(Promise.reject(error)),
          }),
        ),
      ),
    );
    const served = outcomes.filter((o) => o.ok);
    const refused = outcomes.flatMap((o) => (o.ok ? [] : [o]));
    expect(served.length).toBeGreaterThanOrEqual(1);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    for (const { error } of refused) {
      expect(error.codeName).toBe('RESOURCE_EXHAUSTED');
      expect(error.reason).toBe(HASHING_BUSY_REASON);
    }
    // A refused sign-up stored nothing (the served ones go on through the saga with the stack's other services).
    const { rows } = await h.store.query<{ email: string }>(
      'select email from account where email = any($1)',
      [outcomes.map((o) => o.email.toLowerCase())],
    );
    expect(rows.map((r) => r.email).sort()).toEqual(served.map((o) => o.email.toLowerCase()).sort());
    // Once the burst is through, there is room again.
    await expect(h.client.createAccount(signUp())).resolves.toBeDefined();
  });
});
