import { createLocalJWKSet, decodeProtectedHeader, errors, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { AccessTokenIssuer } from './access-tokens';
import { createKeyRing, generatePrivateJwk, KeyRingError } from './signing-keys';

const claims = { issuer: 'blog-auth', audience: 'blog-api', ttlSeconds: 900 };
const accountId = '0b9f3c1e-5d3a-4f0e-9a57-3f1f2c6f9d10';

describe('signing keys and access tokens', () => {
  it('issues an EdDSA JWT with kid, sub, iss, aud, iat, exp (15 min) and jti that verifies with the published JWKS', async () => {
    const keys = await createKeyRing([await generatePrivateJwk('k1')]);
    const issuer = new AccessTokenIssuer(keys, claims);
    const now = new Date();
    const { token, expiresIn } = await issuer.issue(accountId, now);
    expect(expiresIn).toBe(900);
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'EdDSA', kid: 'k1', typ: 'JWT' });
    const jwks = createLocalJWKSet({ keys: keys.publicKeys.map((k) => ({ ...k })) });
    const { payload } = await jwtVerify(token, jwks, {
      issuer: 'blog-auth',
      audience: 'blog-api',
      algorithms: ['EdDSA'],
    });
    const iat = Math.floor(now.getTime() / 1000);
    expect(payload).toMatchObject({ sub: accountId, iss: 'blog-auth', aud: 'blog-api', iat, exp: iat + 900 });
    expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/);
    const second = await issuer.issue(accountId, now);
    expect((await jwtVerify(second.token, jwks)).payload.jti).not.toBe(payload.jti);
  });

  it('publishes only public halves, signing key first, so rotation keeps old tokens verifiable', async () => {
    const oldKey = await generatePrivateJwk('old');
    const before = await createKeyRing([oldKey]);
    const oldToken = (await new AccessTokenIssuer(before, claims).issue(accountId)).token;
    const rotated = await createKeyRing([await generatePrivateJwk('new'), oldKey]);
    expect(rotated.signing.kid).toBe('new');
    expect(rotated.publicKeys.map((k) => k.kid)).toEqual(['new', 'old']);
    for (const key of rotated.publicKeys) {
      expect(Object.keys(key).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x']);
      expect(key).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
    }
    const jwks = createLocalJWKSet({ keys: rotated.publicKeys.map((k) => ({ ...k })) });
    await expect(jwtVerify(oldToken, jwks)).resolves.toBeDefined();
    const newToken = (await new AccessTokenIssuer(rotated, claims).issue(accountId)).token;
    expect(decodeProtectedHeader(newToken).kid).toBe('new');
    // A key set without the signing key cannot verify: the check is real.
    const onlyOld = createLocalJWKSet({ keys: before.publicKeys.map((k) => ({ ...k })) });
    await expect(jwtVerify(newToken, onlyOld)).rejects.toBeInstanceOf(errors.JWKSNoMatchingKey);
  });

  it('refuses duplicate kids, a public part that does not match the private one, and garbage', async () => {
    const a = await generatePrivateJwk('a');
    const b = await generatePrivateJwk('b');
    await expect(createKeyRing([a, { ...b, kid: 'a' }])).rejects.toThrow(/duplicate kid "a"/);
    await expect(createKeyRing([{ ...a, x: b.x }])).rejects.toThrow(/^key "a"/);
    await expect(createKeyRing([{ ...a, d: 'AAAA' }])).rejects.toBeInstanceOf(KeyRingError);
    await expect(createKeyRing([])).rejects.toThrow('no signing key');
  });

  it('never puts key material in its errors', async () => {
    const a = await generatePrivateJwk('a');
    const b = await generatePrivateJwk('b');
    const error = await createKeyRing([{ ...a, x: b.x }]).catch((e: Error) => e);
    expect(String(error)).not.toContain(a.d);
    expect(String(error)).not.toContain(b.x);
  });
});
