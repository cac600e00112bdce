// Contract tests: users, and the 401 rows of the error table (missing, malformed, invalid, expired tokens).
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '../testing/fixtures';
import { newSigningKey } from '../testing/signing-key';
import { type ContractTarget, contractTarget } from '../testing/target';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

describe('users', () => {
  let target: ContractTarget;
  beforeAll(async () => {
    target = await contractTarget();
  });
  afterAll(() => target.close());

  it('GET /v1/users/{userId} answers the public profile', async () => {
    const user = await target.fixtures.user();
    const profile = await target.http.get(`/v1/users/${user.accountId}`);
    expect(profile.status).toBe(200);
    expect(profile.body).toEqual({
      userId: user.accountId,
      nickname: user.nickname,
      bio: '',
      createdAt: expect.stringMatching(ISO),
    });
  });

  it('GET /v1/users/{userId} answers 404 for an unknown user', async () => {
    const unknown = await target.http.get('/v1/users/00000000-0000-4000-8000-000000000001');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String) } });
  });

  it('GET /v1/users/me answers the caller', async () => {
    const user = await target.fixtures.user();
    const me = await target.http.get('/v1/users/me', { token: user.accessToken });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ userId: user.accountId, nickname: user.nickname });
  });

  it('PATCH /v1/users/me changes nickname and bio', async () => {
    const user = await target.fixtures.user();
    const nickname = uniqueName('n');
    const patched = await target.http.patch(
      '/v1/users/me',
      { nickname, bio: 'hello' },
      { token: user.accessToken },
    );
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ userId: user.accountId, nickname, bio: 'hello' });
    expect((await target.http.get(`/v1/users/${user.accountId}`)).body.nickname).toBe(nickname);
  });

  it('PATCH /v1/users/me answers 409 ALREADY_EXISTS for a taken nickname (any case)', async () => {
    const [a, b] = [await target.fixtures.user(), await target.fixtures.user()];
    const taken = await target.http.patch(
      '/v1/users/me',
      { nickname: b.nickname.toUpperCase() },
      { token: a.accessToken },
    );
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('ALREADY_EXISTS');
  });

  it('PATCH /v1/users/me answers 400 for a too long bio and an unknown field', async () => {
    const user = await target.fixtures.user();
    const bad = await target.http.patch(
      '/v1/users/me',
      { bio: 'x'.repeat(501), email: 'x@example.com' },
      { token: user.accessToken },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual(
      expect.arrayContaining([
        { field: 'bio', message: expect.any(String) },
        { field: 'email', message: 'is not a known field' },
      ]),
    );
  });

  describe('401 UNAUTHENTICATED', () => {
    it('for a missing token, with WWW-Authenticate', async () => {
      const response = await target.http.get('/v1/users/me');
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      expect(response.body.error.code).toBe('UNAUTHENTICATED');
    });

    it('for a malformed header and a token that is not a JWT', async () => {
      const basic = await target.http.get('/v1/users/me', {
        headers: { authorization: 'Basic dXNlcjpwYXNz' },
      });
      expect(basic.status).toBe(401);
      const garbage = await target.http.get('/v1/users/me', { token: 'not.a.jwt' });
      expect(garbage.status).toBe(401);
      expect(garbage.body.error.code).toBe('UNAUTHENTICATED');
    });

    it('for a token signed by another key, even with a known kid', async () => {
      const user = await target.fixtures.user();
      const [, payload] = user.accessToken.split('.');
      const header = JSON.parse(Buffer.from(user.accessToken.split('.')[0], 'base64url').toString());
      const forgedKey = await newSigningKey(header.kid);
      const forged = await new SignJWT(JSON.parse(Buffer.from(payload, 'base64url').toString()))
        .setProtectedHeader({ alg: 'EdDSA', kid: header.kid })
        .sign(forgedKey.privateKey);
      const response = await target.http.get('/v1/users/me', { token: forged });
      expect(response.status).toBe(401);
    });
  });
});

describe('tokens the fake auth service signs (gateway over fakes only)', () => {
  let target: ContractTarget;
  beforeAll(async () => {
    target = await contractTarget();
  });
  afterAll(() => target.close());

  it('refuses an expired token, a wrong audience and a wrong issuer', async (context) => {
    const harness = target.harness;
    if (!harness) return context.skip();
    const user = await target.fixtures.user();
    const world = harness.world;
    const expired = await world.accessToken(user.accountId, { expiresInSeconds: -60 });
    const expiredResponse = await target.http.get('/v1/users/me', { token: expired });
    expect(expiredResponse.status).toBe(401);
    expect(expiredResponse.body.error.message).toMatch(/expired/);
    for (const claims of [{ audience: 'someone-else' }, { issuer: 'someone-else' }]) {
      const token = await world.accessToken(user.accountId, claims);
      expect((await target.http.get('/v1/users/me', { token })).status).toBe(401);
    }
    const valid = await world.accessToken(user.accountId);
    expect((await target.http.get('/v1/users/me', { token: valid })).status).toBe(200);
  });
});
