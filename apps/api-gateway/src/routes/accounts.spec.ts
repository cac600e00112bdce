// Contract tests: accounts and tokens (see ../testing/target.ts for what they run against).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '../testing/fixtures';
import { eventually } from '../testing/http';
import { type ContractTarget, contractTarget } from '../testing/target';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

describe('accounts and tokens', () => {
  let target: ContractTarget;
  beforeAll(async () => {
    target = await contractTarget();
  });
  afterAll(() => target.close());

  describe('POST /v1/accounts', () => {
    it('answers 202 PENDING, then the account becomes ACTIVE with no reason', async () => {
      const nickname = uniqueName();
      const created = await target.http.post('/v1/accounts', {
        email: `${nickname}@Example.com`,
        password: 'long enough',
        nickname,
      });
      expect(created.status).toBe(202);
      expect(created.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(created.body).toEqual({ accountId: expect.stringMatching(UUID), status: 'PENDING' });
      const account = await eventually(async () => {
        const read = await target.http.get(`/v1/accounts/${created.body.accountId}`);
        expect(read.body.status).toBe('ACTIVE');
        return read;
      });
      expect(account.status).toBe(200);
      expect(account.body).toEqual({ accountId: created.body.accountId, status: 'ACTIVE' });
    });

    it('answers 409 ALREADY_EXISTS for an email in use', async () => {
      const { email } = await target.fixtures.signUp();
      const again = await target.http.post('/v1/accounts', {
        email,
        password: 'long enough',
        nickname: uniqueName(),
      });
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('ALREADY_EXISTS');
    });

    it('rejects a sign-up whose nickname is taken, with the reason', async () => {
      const { nickname } = await target.fixtures.signUp();
      const other = uniqueName();
      const created = await target.http.post('/v1/accounts', {
        email: `${other}@example.com`,
        password: 'long enough',
        nickname: nickname.toUpperCase(),
        blogSlug: other,
      });
      expect(created.status).toBe(202);
      await eventually(async () => {
        const read = await target.http.get(`/v1/accounts/${created.body.accountId}`);
        expect(read.body).toEqual({
          accountId: created.body.accountId,
          status: 'REJECTED',
          reason: 'NICKNAME_TAKEN',
        });
      });
    });

    it('answers 400 with one detail per bad field, unknown fields included', async () => {
      const bad = await target.http.post('/v1/accounts', {
        email: 'not-an-email',
        password: 'short',
        nickname: 'no spaces!',
        blogSlug: 'UPPER',
        admin: true,
      });
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe('INVALID_ARGUMENT');
      const fields = bad.body.error.details.map((d: { field: string }) => d.field);
      expect(new Set(fields)).toEqual(new Set(['email', 'password', 'nickname', 'blogSlug', 'admin']));
      for (const detail of bad.body.error.details) expect(detail.message).toEqual(expect.any(String));
    });

    it('answers 400 for a missing field and for a too long email', async () => {
      const missing = await target.http.post('/v1/accounts', {
        email: 'a@example.com',
        password: 'long enough',
      });
      expect(missing.status).toBe(400);
      expect(missing.body.error.details).toEqual([{ field: 'nickname', message: 'is required' }]);
      const long = await target.http.post('/v1/accounts', {
        email: `${'a'.repeat(250)}@example.com`,
        password: 'long enough',
        nickname: uniqueName(),
      });
      expect(long.status).toBe(400);
      expect(long.body.error.details.map((d: { field: string }) => d.field)).toContain('email');
    });
  });

  describe('GET /v1/accounts/{accountId}', () => {
    it('answers 404 NOT_FOUND for an unknown id and 400 for a malformed one', async () => {
      const unknown = await target.http.get('/v1/accounts/00000000-0000-4000-8000-000000000000');
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.code).toBe('NOT_FOUND');
      const malformed = await target.http.get('/v1/accounts/not-a-uuid');
      expect(malformed.status).toBe(400);
      expect(malformed.body.error).toMatchObject({
        code: 'INVALID_ARGUMENT',
        details: [{ field: 'accountId' }],
      });
    });
  });

  describe('POST /v1/auth/login', () => {
    it('answers the token pair', async () => {
      const account = await target.fixtures.signUp();
      const login = await target.http.post('/v1/auth/login', {
        email: account.email,
        password: account.password,
      });
      expect(login.status).toBe(200);
      expect(login.body).toEqual({
        accessToken: expect.any(String),
        refreshToken: expect.any(String),
        tokenType: 'Bearer',
        expiresIn: expect.any(Number),
        userId: account.accountId,
      });
      expect(login.body.expiresIn).toBeGreaterThan(0);
    });

    it('answers 401 with the same message for a wrong password and an unknown email', async () => {
      const account = await target.fixtures.signUp();
      const wrong = await target.http.post('/v1/auth/login', {
        email: account.email,
        password: 'not the password',
      });
      const unknown = await target.http.post('/v1/auth/login', {
        email: `x${account.email}`,
        password: 'whatever1',
      });
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      expect(wrong.body.error.code).toBe('UNAUTHENTICATED');
      expect(wrong.body.error.message).toBe(unknown.body.error.message);
    });
  });

  describe('POST /v1/auth/refresh and /v1/auth/logout', () => {
    it('rotates refresh tokens; reusing one revokes the family', async () => {
      const user = await target.fixtures.user();
      const first = await target.http.post('/v1/auth/refresh', { refreshToken: user.refreshToken });
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ tokenType: 'Bearer', userId: user.accountId });
      expect(first.body.refreshToken).not.toBe(user.refreshToken);
      const reused = await target.http.post('/v1/auth/refresh', { refreshToken: user.refreshToken });
      expect(reused.status).toBe(401);
      const family = await target.http.post('/v1/auth/refresh', { refreshToken: first.body.refreshToken });
      expect(family.status).toBe(401);
    });

    it('logs out with 204, after which the refresh token is dead; logout needs a bearer token', async () => {
      const user = await target.fixtures.user();
      const anonymous = await target.http.post('/v1/auth/logout', { refreshToken: user.refreshToken });
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.error.code).toBe('UNAUTHENTICATED');
      const out = await target.http.post(
        '/v1/auth/logout',
        { refreshToken: user.refreshToken },
        { token: user.accessToken },
      );
      expect(out.status).toBe(204);
      expect(out.text).toBe('');
      const refresh = await target.http.post('/v1/auth/refresh', { refreshToken: user.refreshToken });
      expect(refresh.status).toBe(401);
    });
  });

  describe('DELETE /v1/accounts/me', () => {
    it('answers 202 DELETING, and the same token gets 401 at once', async () => {
      const user = await target.fixtures.user();
      expect((await target.http.get('/v1/users/me', { token: user.accessToken })).status).toBe(200);
      const deleted = await target.http.delete('/v1/accounts/me', { token: user.accessToken });
      expect(deleted.status).toBe(202);
      expect(deleted.body).toEqual({ accountId: user.accountId, status: 'DELETING' });
      const after = await target.http.get('/v1/users/me', { token: user.accessToken });
      expect(after.status).toBe(401);
      expect(after.body.error.code).toBe('UNAUTHENTICATED');
      const login = await target.http.post('/v1/auth/login', { email: user.email, password: user.password });
      expect(login.status).toBe(401);
    });
  });
});
