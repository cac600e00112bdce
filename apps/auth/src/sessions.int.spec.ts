// Login, access tokens against the published JWKS, refresh-token rotation and reuse detection, logout: the real
// service on the real database.
import { randomUUID } from 'node:crypto';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashRefreshToken } from './tokens/refresh-tokens';
import { failureOf, must } from '@blog/testing';
import { seedAccount, type SeededAccount } from './testing/accounts';
import { startAuth, type AuthHarness } from './testing/harness';

describe('auth: sessions', () => {
  let h: AuthHarness;
  let account: SeededAccount;
  beforeAll(async () => {
    h = await startAuth();
    account = await seedAccount(h, 'ACTIVE');
  });
  afterAll(() => h?.stop());

  const login = async (a: SeededAccount = account) =>
    must((await h.client.login({ email: a.email, password: a.password })).tokens);
  const refresh = async (refreshToken: string) => must((await h.client.refresh({ refreshToken })).tokens);

  it('issues a Bearer pair whose access token verifies with the keys GetJwks publishes', async () => {
    const tokens = await login();
    expect(tokens).toMatchObject({ tokenType: 'Bearer', expiresIn: 900, userId: account.accountId });
    expect(tokens.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const { keys } = await h.client.getJwks({});
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys)
      expect(key).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
    const jwks = createLocalJWKSet({ keys: keys.map((k) => ({ ...k })) });
    const { payload, protectedHeader } = await jwtVerify(tokens.accessToken, jwks, {
      issuer: 'blog-auth',
      audience: 'blog-api',
      algorithms: ['EdDSA'],
    });
    expect(keys.map((k) => k.kid)).toContain(protectedHeader.kid);
    expect(payload.sub).toBe(account.accountId);
    expect(must(payload.exp) - must(payload.iat)).toBe(900);
    expect(payload.jti).toBeTruthy();
    // The published keys are public only.
    for (const key of keys) expect(key).not.toHaveProperty('d');
  });

  it('matches the email case-insensitively', async () => {
    const tokens = must(
      (await h.client.login({ email: account.email.toUpperCase(), password: account.password })).tokens,
    );
    expect(tokens.userId).toBe(account.accountId);
  });

  it('answers a wrong email and a wrong password alike: same code, same message, similar time', async () => {
    const time = async (email: string, password: string) => {
      const start = performance.now();
      const error = await failureOf(h.client.login({ email, password }));
      return { error, ms: performance.now() - start };
    };
    const unknown: number[] = [];
    const wrong: number[] = [];
    for (let i = 0; i < 8; i++) {
      const a = await time(`nobody-${randomUUID()}@example.com`, account.password);
      const b = await time(account.email, `${account.password}-wrong`);
      expect(a.error).toMatchObject({ codeName: 'UNAUTHENTICATED', message: 'invalid email or password' });
      expect(b.error).toMatchObject({ codeName: 'UNAUTHENTICATED', message: 'invalid email or password' });
      unknown.push(a.ms);
      wrong.push(b.ms);
    }
    // The fastest of several interleaved tries estimates the work under a noisy, shared CPU. Both run one argon2id
    // verification (tens of ms); without the dummy, an unknown email would answer in a few ms, a ratio near 0.1.
    const ratio = Math.min(...unknown) / Math.min(...wrong);
    expect(ratio).toBeGreaterThan(0.3);
    expect(ratio).toBeLessThan(3);
  });

  it('validates Login, Refresh and Logout requests', async () => {
    const bad = await failureOf(h.client.login({ email: '', password: '' }));
    expect(bad.codeName).toBe('INVALID_ARGUMENT');
    expect(bad.violations.map((v) => v.field).sort()).toEqual(['email', 'password']);
    expect((await failureOf(h.client.refresh({ refreshToken: '' }))).violations[0].field).toBe(
      'refreshToken',
    );
    const logout = await failureOf(h.client.logout({ refreshToken: 'x', accountId: 'me' }));
    expect(logout.violations.map((v) => v.field)).toEqual(['accountId']);
  });

  it('stores refresh tokens only as SHA-256 hashes, in a family, expiring in 30 days', async () => {
    const { refreshToken } = await login();
    const { rows } = await h.store.query<{ token_hash: Buffer; account_id: string; days: number }>(
      `select token_hash, account_id, extract(epoch from expires_at - created_at) / 86400 as days
       from refresh_token where token_hash = $1`,
      [hashRefreshToken(refreshToken)],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].account_id).toBe(account.accountId);
    expect(Math.round(Number(rows[0].days))).toBe(30);
    const raw = await h.store.query(
      `select 1 from refresh_token where encode(token_hash, 'escape') like $1`,
      [`%${refreshToken}%`],
    );
    expect(raw.rows).toHaveLength(0);
  });

  it('rotates a refresh token: a new pair in the same family, the old token used', async () => {
    const first = await login();
    const second = await refresh(first.refreshToken);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.userId).toBe(account.accountId);
    const { rows } = await h.store.query<{ family_id: string; used: boolean }>(
      'select family_id, used_at is not null as used from refresh_token where token_hash = any($1) order by created_at',
      [[hashRefreshToken(first.refreshToken), hashRefreshToken(second.refreshToken)]],
    );
    expect(rows.map((r) => r.used)).toEqual([true, false]);
    expect(rows[0].family_id).toBe(rows[1].family_id);
    const third = await refresh(second.refreshToken);
    expect(third.refreshToken).not.toBe(second.refreshToken);
  });

  it('treats reuse of a rotated token as theft: the whole family is revoked, other sessions live on', async () => {
    const other = await login();
    const first = await login();
    const second = await refresh(first.refreshToken);

    const reuse = await failureOf(h.client.refresh({ refreshToken: first.refreshToken }));
    expect(reuse).toMatchObject({ codeName: 'UNAUTHENTICATED', message: 'invalid refresh token' });
    // The thief's copy and the rightful newest token are both dead now.
    expect((await failureOf(h.client.refresh({ refreshToken: second.refreshToken }))).codeName).toBe(
      'UNAUTHENTICATED',
    );
    const { rows } = await h.store.query<{ revoked: boolean }>(
      `select revoked_at is not null as revoked from refresh_token
       where family_id = (select family_id from refresh_token where token_hash = $1)`,
      [hashRefreshToken(first.refreshToken)],
    );
    expect(rows.map((r) => r.revoked)).toEqual([true, true]);
    // Another login of the same account is another family.
    expect((await refresh(other.refreshToken)).userId).toBe(account.accountId);
  });

  it('lets one of two simultaneous refreshes of one token win, and then kills the family', async () => {
    const { refreshToken } = await login();
    const results = await Promise.allSettled([refresh(refreshToken), refresh(refreshToken)]);
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    const winner = (won[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof refresh>>>).value;
    expect((await failureOf(h.client.refresh({ refreshToken: winner.refreshToken }))).codeName).toBe(
      'UNAUTHENTICATED',
    );
  });

  it('refuses to refresh for an account that is no longer ACTIVE, even with a live token', async () => {
    const other = await seedAccount(h, 'ACTIVE');
    const tokens = await login(other);
    // Arranged directly: the deletion saga would also have revoked the token, which this check must not rely on.
    await h.store.query(`update account set status = 'DELETING' where id = $1`, [other.accountId]);
    const error = await failureOf(h.client.refresh({ refreshToken: tokens.refreshToken }));
    expect(error).toMatchObject({ codeName: 'UNAUTHENTICATED', message: 'invalid refresh token' });
  });

  it('refuses unknown refresh tokens', async () => {
    const error = await failureOf(h.client.refresh({ refreshToken: 'A'.repeat(43) }));
    expect(error).toMatchObject({ codeName: 'UNAUTHENTICATED', message: 'invalid refresh token' });
  });

  it('logs out a refresh token of the caller only', async () => {
    const tokens = await login();
    // Someone else's account id: nothing happens (and nothing is told).
    await h.client.logout({ refreshToken: tokens.refreshToken, accountId: randomUUID() });
    const rotated = await refresh(tokens.refreshToken);
    await h.client.logout({ refreshToken: rotated.refreshToken, accountId: account.accountId });
    const error = await failureOf(h.client.refresh({ refreshToken: rotated.refreshToken }));
    expect(error.codeName).toBe('UNAUTHENTICATED');
    // Logging out twice, or an unknown token, is fine.
    await h.client.logout({ refreshToken: rotated.refreshToken, accountId: account.accountId });
    await h.client.logout({ refreshToken: 'unknown', accountId: account.accountId });
  });

  it('signs with the kid it publishes, the same across calls', async () => {
    const a = decodeProtectedHeader((await login()).accessToken);
    const b = decodeProtectedHeader((await login()).accessToken);
    expect(a).toEqual({ alg: 'EdDSA', kid: b.kid, typ: 'JWT' });
    expect((await h.client.getJwks({})).keys[0].kid).toBe(a.kid);
  });
});
