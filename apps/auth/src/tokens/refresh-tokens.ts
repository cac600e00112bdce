// Refresh tokens are opaque random strings; only their SHA-256 is stored, so a leaked table holds no usable token.
// (A fast hash is enough here: 256 random bits cannot be guessed, unlike passwords.)
import { createHash, randomBytes } from 'node:crypto';

/** newRefreshToken returns a fresh token: 32 random bytes, base64url. */
export function newRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

/** hashRefreshToken is the stored form of a token. */
export function hashRefreshToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
