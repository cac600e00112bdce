// The access-token signing keys: Ed25519 JWKs, the first one signs, all of them verify. Rotation is adding a new key
// first (it starts signing) and dropping the old one only once its tokens have expired (15 minutes later); GetJwks
// publishes every key, so the gateway accepts tokens of both meanwhile.
import { randomUUID } from 'node:crypto';
import { CompactSign, compactVerify, exportJWK, generateKeyPair, importJWK, type CryptoKey } from 'jose';
import { z } from 'zod';

/** JWT_ALGORITHM is the JOSE algorithm of every access token (EdDSA over Ed25519). */
export const JWT_ALGORITHM = 'EdDSA';

/** privateJwkSchema is one private Ed25519 key as a JWK; `kid` names it in token headers. */
export const privateJwkSchema = z
  .object({
    kty: z.literal('OKP'),
    crv: z.literal('Ed25519'),
    x: z.string().min(1),
    d: z.string().min(1),
    kid: z.string().min(1),
  })
  .loose();

/** PrivateJwk is a private Ed25519 key. */
export type PrivateJwk = z.output<typeof privateJwkSchema>;

/** PublicJwk is what GetJwks publishes for one key. */
export interface PublicJwk {
  readonly kty: 'OKP';
  readonly crv: 'Ed25519';
  readonly x: string;
  readonly kid: string;
  readonly alg: typeof JWT_ALGORITHM;
  readonly use: 'sig';
}

/** SigningKey is the key new tokens are signed with. */
export interface SigningKey {
  readonly kid: string;
  readonly key: CryptoKey;
}

/** KeyRing is the loaded key set. */
export interface KeyRing {
  readonly signing: SigningKey;
  /** publicKeys are every key's public half, the signing key first. */
  readonly publicKeys: readonly PublicJwk[];
}

/** KeyRingError: the keys are unusable; the message names the key by kid and never shows key material. */
export class KeyRingError extends Error {
  override readonly name = 'KeyRingError';
}

/** createKeyRing imports the keys (the first signs), checking that kids are unique and each x belongs to its d. */
export async function createKeyRing(jwks: readonly PrivateJwk[]): Promise<KeyRing> {
  if (jwks.length === 0) throw new KeyRingError('no signing key');
  const kids = new Set<string>();
  const signingKeys: SigningKey[] = [];
  for (const jwk of jwks) {
    if (kids.has(jwk.kid)) throw new KeyRingError(`duplicate kid "${jwk.kid}"`);
    kids.add(jwk.kid);
    signingKeys.push(await importPair(jwk));
  }
  return { signing: signingKeys[0], publicKeys: jwks.map(publicJwkOf) };
}

/** generatePrivateJwk creates a new Ed25519 key as a private JWK. */
export async function generatePrivateJwk(kid: string = randomUUID()): Promise<PrivateJwk> {
  const { privateKey } = await generateKeyPair(JWT_ALGORITHM, { crv: 'Ed25519', extractable: true });
  const jwk = await exportJWK(privateKey);
  return privateJwkSchema.parse({ ...jwk, kid });
}

/** publicJwkOf strips a private key down to what may be published. */
export function publicJwkOf(jwk: PrivateJwk): PublicJwk {
  return { kty: 'OKP', crv: 'Ed25519', x: jwk.x, kid: jwk.kid, alg: JWT_ALGORITHM, use: 'sig' };
}

// A key whose x does not belong to its d would sign tokens nobody can verify: prove the pair with a probe signature.
async function importPair(jwk: PrivateJwk): Promise<SigningKey> {
  let key: CryptoKey;
  let publicKey: CryptoKey;
  try {
    key = (await importJWK({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, d: jwk.d }, JWT_ALGORITHM)) as CryptoKey;
    publicKey = (await importJWK({ kty: jwk.kty, crv: jwk.crv, x: jwk.x }, JWT_ALGORITHM)) as CryptoKey;
  } catch {
    throw new KeyRingError(`key "${jwk.kid}" is not a valid Ed25519 key pair`);
  }
  const probe = await new CompactSign(new TextEncoder().encode('probe'))
    .setProtectedHeader({ alg: JWT_ALGORITHM })
    .sign(key);
  await compactVerify(probe, publicKey).catch(() => {
    throw new KeyRingError(`key "${jwk.kid}": its public part x does not match its private part d`);
  });
  return { kid: jwk.kid, key };
}
