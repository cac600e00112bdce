import { describe, expect, it } from 'vitest';
import { authorize, identityOfSan, identityOfUri, mayActFor, spiffeId, type AccessPolicy } from './auth';

const policy: AccessPolicy = {
  rules: { GetUser: ['api-gateway'], Check: ['*'] },
  actorFrom: ['api-gateway'],
};

describe('identities', () => {
  it('reads the one SPIFFE URI of our trust domain from a SAN list', () => {
    expect(
      identityOfSan('DNS:localhost, IP Address:127.0.0.1, URI:spiffe://blog.local/service/auth'),
    ).toEqual({
      uri: 'spiffe://blog.local/service/auth',
      name: 'auth',
    });
  });

  it('has no identity for another trust domain, two URIs, or none', () => {
    expect(identityOfSan('URI:spiffe://evil.example/service/auth')).toBeUndefined();
    expect(
      identityOfSan('URI:spiffe://blog.local/service/auth, URI:spiffe://blog.local/service/user'),
    ).toBeUndefined();
    expect(identityOfSan('DNS:localhost')).toBeUndefined();
    expect(identityOfSan(undefined)).toBeUndefined();
    expect(identityOfUri('spiffe://blog.local/service/Auth/../x')).toBeUndefined();
  });

  it('refuses to make an identity of a bad name', () => {
    expect(() => spiffeId('a/b')).toThrow(/not a workload name/);
  });
});

describe('authorize', () => {
  const gateway = identityOfUri(spiffeId('api-gateway'));
  const post = identityOfUri(spiffeId('post'));

  it('allows the named caller, a wildcard rule anybody authenticated, nobody without identity', () => {
    expect(authorize(policy, gateway, 'GetUser')).toEqual({ allowed: true });
    expect(authorize(policy, post, 'GetUser')).toEqual({
      allowed: false,
      reason: 'post may not call GetUser',
    });
    expect(authorize(policy, post, 'Check')).toEqual({ allowed: true });
    expect(authorize(policy, undefined, 'Check').allowed).toBe(false);
    expect(authorize(policy, gateway, 'DeleteEverything').allowed).toBe(false);
  });

  it('lets only actorFrom speak for a user', () => {
    expect(mayActFor(policy, gateway)).toBe(true);
    expect(mayActFor(policy, post)).toBe(false);
    expect(mayActFor(policy, undefined)).toBe(false);
  });
});
