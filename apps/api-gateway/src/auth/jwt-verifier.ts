// Local verification of access tokens: EdDSA signature with a key from the JWKS store, exp, issuer and audience.
import { errors, jwtVerify } from 'jose';
import { ApiError, DEFAULT_RETRY_AFTER_SECONDS } from '../errors';
import { type AccessTokenVerifier, JWT_ALGORITHMS, type Principal } from './auth';
import { type JwksKeyStore, NoKeysError } from './jwks-key-store';

/** JwtVerifierOptions name the claims every token must carry. */
export interface JwtVerifierOptions {
  readonly keys: JwksKeyStore;
  /** issuer the auth service writes into `iss` (convention: "blog-auth"). */
  readonly issuer: string;
  /** audience the auth service writes into `aud` (convention: "blog-api"). */
  readonly audience: string;
  /** clockToleranceSeconds forgives small clock differences between auth and the gateway (default 5). */
  readonly clockToleranceSeconds?: number;
}

/** JwtVerifier verifies tokens locally: no call to auth per request (keys are cached by the store). */
export class JwtVerifier implements AccessTokenVerifier {
  constructor(private readonly options: JwtVerifierOptions) {}

  async verify(token: string): Promise<Principal> {
    try {
      const { payload } = await jwtVerify(token, this.options.keys.getKey, {
        algorithms: JWT_ALGORITHMS,
        issuer: this.options.issuer,
        audience: this.options.audience,
        requiredClaims: ['sub', 'exp'],
        clockTolerance: this.options.clockToleranceSeconds ?? 5,
      });
      if (typeof payload.sub !== 'string' || payload.sub === '') {
        throw new ApiError('UNAUTHENTICATED', 'invalid access token');
      }
      return { accountId: payload.sub };
    } catch (error) {
      throw classify(error);
    }
  }
}

function classify(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof NoKeysError) {
    // The token may well be valid: we cannot tell yet, so this is our unavailability, not the caller's fault.
    return new ApiError('UNAVAILABLE', 'token keys are not loaded yet', {
      retryAfterSeconds: DEFAULT_RETRY_AFTER_SECONDS,
      cause: error,
    });
  }
  if (error instanceof errors.JWTExpired)
    return new ApiError('UNAUTHENTICATED', 'access token expired', { cause: error });
  return new ApiError('UNAUTHENTICATED', 'invalid access token', { cause: error });
}
