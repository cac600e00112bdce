// Access tokens: short-lived JWTs the gateway verifies locally with GetJwks's keys, so no request calls auth.
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { JWT_ALGORITHM, type KeyRing } from './signing-keys';

/** AccessTokenOptions are the claims every token carries and its lifetime. */
export interface AccessTokenOptions {
  /** issuer goes into `iss` ("blog-auth"). */
  readonly issuer: string;
  /** audience goes into `aud` ("blog-api"). */
  readonly audience: string;
  readonly ttlSeconds: number;
}

/** AccessToken is one issued token and its lifetime in seconds. */
export interface AccessToken {
  readonly token: string;
  readonly expiresIn: number;
}

/** AccessTokenIssuer signs access tokens with the key ring's signing key. */
export class AccessTokenIssuer {
  constructor(
    private readonly keys: KeyRing,
    private readonly options: AccessTokenOptions,
  ) {}

  /** issue signs a token for the account: sub = account id, kid in the header, a fresh jti. */
  async issue(accountId: string, now: Date = new Date()): Promise<AccessToken> {
    const issuedAt = Math.floor(now.getTime() / 1000);
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: JWT_ALGORITHM, kid: this.keys.signing.kid, typ: 'JWT' })
      .setSubject(accountId)
      .setIssuer(this.options.issuer)
      .setAudience(this.options.audience)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + this.options.ttlSeconds)
      .setJti(randomUUID())
      .sign(this.keys.signing.key);
    return { token, expiresIn: this.options.ttlSeconds };
  }
}
