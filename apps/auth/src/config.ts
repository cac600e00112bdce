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
