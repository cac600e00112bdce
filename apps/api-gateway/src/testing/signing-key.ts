// Test support: Ed25519 signing keys and the claims of access tokens, as the auth service makes them.
import { randomUUID } from 'node:crypto';
import { type CryptoKey, exportJWK, generateKeyPair, type JWK } from 'jose';

/** ISSUER and AUDIENCE are the claims the gateway expects (README "Authentication"). */
export const ISSUER = 'blog-auth';
export const AUDIENCE = 'blog-api';

/** TokenOptions shape a test access token (defaults: valid for 15 minutes, the world's key, right claims). */
export interface TokenOptions {
  readonly expiresInSeconds?: number;
  readonly issuer?: string;
  readonly audience?: string;
  readonly key?: { privateKey: CryptoKey; kid: string };
}

/** SigningKey is an Ed25519 key pair with its public JWK. */
export interface SigningKey {
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
  readonly kid: string;
}

/** newSigningKey makes an Ed25519 key for tokens. */
export async function newSigningKey(kid = randomUUID()): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' };
  return { privateKey, publicJwk, kid };
}
