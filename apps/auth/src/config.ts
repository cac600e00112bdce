// The auth service's environment: the shared variables, the data plane's, and the token settings.
import { serviceNamed } from '@blog/catalog';
import { baseConfig, dataConfig } from '@blog/framework';
import { z } from 'zod';
import { privateJwkSchema } from './tokens/signing-keys';

/** privateKeysVariable parses AUTH_JWT_PRIVATE_KEYS: a JSON array of private Ed25519 JWKs, the first one signing. */
const privateKeysVariable = z
  .string()
  .transform((raw, ctx) => {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      // Never echo the value: it is a secret.
      ctx.addIssue({ code: 'custom', message: 'must be a JSON array of private Ed25519 JWKs (with kid)' });
      return z.NEVER;
    }
  })
  .pipe(
    z.array(privateJwkSchema, { error: 'must be a JSON array of private Ed25519 JWKs (with kid)' }).min(1),
  );

/** authConfig is the schema of the auth service's environment. */
export const authConfig = baseConfig(serviceNamed('auth'))
  .extend(dataConfig.shape)
  .extend({
    /** AUTH_JWT_PRIVATE_KEYS: the signing keys; required in production. */
    AUTH_JWT_PRIVATE_KEYS: privateKeysVariable.optional(),
    /** AUTH_DEV_KEYS_DIR: outside production without AUTH_JWT_PRIVATE_KEYS, where dev keys are generated and kept. */
    AUTH_DEV_KEYS_DIR: z.string().optional(),
    AUTH_JWT_ISSUER: z.string().min(1).default('blog-auth'),
    AUTH_JWT_AUDIENCE: z.string().min(1).default('blog-api'),
    AUTH_ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(900),
    AUTH_REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
    /**
     * AUTH_PASSWORD_HASH_CONCURRENCY: argon2 hashes and verifications at once (passwords/hash-limiter.ts). 2 of
     * libuv's 4 threads, so the others stay free for the rest of the process.
     */
    AUTH_PASSWORD_HASH_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
    /**
     * AUTH_PASSWORD_HASH_QUEUE: how many more may wait; beyond, RESOURCE_EXHAUSTED at once. 16 behind 2 is at most 8
     * hashes' time of waiting (under 2 s even at 200 ms a hash on a crowded host), inside the gateway's 4.5 s deadline.
     */
    AUTH_PASSWORD_HASH_QUEUE: z.coerce.number().int().min(0).max(10_000).default(16),
  })
  .superRefine((config, ctx) => {
    if (config.NODE_ENV === 'production' && !config.AUTH_JWT_PRIVATE_KEYS) {
      ctx.addIssue({
        code: 'custom',
        path: ['AUTH_JWT_PRIVATE_KEYS'],
        message: 'is required in production (a JSON array of private Ed25519 JWKs; dev keys are refused)',
      });
    }
  });

/** AuthConfig is the loaded auth configuration. */
export type AuthConfig = z.output<typeof authConfig>;
