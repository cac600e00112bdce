// The auth service: its name, schema, config, consumers and gRPC handlers, with its keys and password hasher
// (main.ts runs it; tests start it with their own environment).
import { accessPolicyOf, serviceNamed } from '@blog/catalog';
import { dataService, type ServiceOptions } from '@blog/framework';
import { auth } from '@blog/proto';
import { authConfig, type AuthConfig } from './config';
import { registerConsumers } from './events/consumers';
import { HashLimiter, LimitedHasher } from './passwords/hash-limiter';
import { Argon2Hasher } from './passwords/password-hasher';
import { authHandlers } from './server';
import { AccessTokenIssuer } from './tokens/access-tokens';
import { loadKeyRing } from './tokens/key-source';
import { Accounts } from './use-cases/accounts';
import { Sessions } from './use-cases/sessions';

/** authService returns the auth service's options; `overrides` replace any of them (tests: env, logDestination). */
export function authService(overrides: Partial<ServiceOptions<AuthConfig>> = {}): ServiceOptions<AuthConfig> {
  return dataService(
    {
      name: 'auth',
      dir: __dirname,
      schema: 'auth',
      config: authConfig,
      consumers: registerConsumers,
      consumes: serviceNamed('auth').consumes, // the catalog's list: the start fails if the handlers differ
      access: accessPolicyOf(serviceNamed('auth')), // who may call it: the catalog's callers
      async setup(ctx, data) {
        const { config, logger } = ctx;
        const keys = await loadKeyRing(config, logger);
        const argon2 = new Argon2Hasher();
        // Sign-up and login share one bound: both spend the same argon2 work on the same threads.
        const hasher = new LimitedHasher(
          argon2,
          new HashLimiter({
            concurrency: config.AUTH_PASSWORD_HASH_CONCURRENCY,
            queue: config.AUTH_PASSWORD_HASH_QUEUE,
          }),
        );
        const accounts = new Accounts({ store: data.store, outbox: data.outbox, hasher });
        const sessions = new Sessions({
          store: data.store,
          hasher,
          accessTokens: new AccessTokenIssuer(keys, {
            issuer: config.AUTH_JWT_ISSUER,
            audience: config.AUTH_JWT_AUDIENCE,
            ttlSeconds: config.AUTH_ACCESS_TOKEN_TTL_SECONDS,
          }),
          refreshTokenTtlDays: config.AUTH_REFRESH_TOKEN_TTL_DAYS,
          logger: logger.child({ component: 'sessions' }),
        });
        return {
          services: [
            {
              definition: auth.AuthServiceService,
              implementation: authHandlers({ accounts, sessions, keys }),
            },
          ],
          components: [{ name: 'password-hasher', start: () => argon2.warmUp() }],
        };
      },
    },
    overrides,
  );
}
