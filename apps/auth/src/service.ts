// The auth service's options: config, data plane, keys, use cases, handlers and consumers. main.ts runs them;
// tests start them in-process with their own environment.
import { join } from 'node:path';
import { createDataPlane, packageVersion, type Env, type ServiceOptions } from '@blog/framework';
import { auth } from '@blog/proto';
import type { DestinationStream } from 'pino';
import { authConfig, type AuthConfig } from './config';
import { AUTH_TOPICS, registerAuthConsumers } from './events/consumers';
import { Argon2Hasher } from './passwords/password-hasher';
import { authHandlers } from './server';
import { AccessTokenIssuer } from './tokens/access-tokens';
import { loadKeyRing } from './tokens/key-source';
import { Accounts } from './use-cases/accounts';
import { Sessions } from './use-cases/sessions';

/** AuthServiceOverrides replace what tests must control. */
export interface AuthServiceOverrides {
  /** env is read instead of process.env. */
  readonly env?: Env;
  readonly logDestination?: DestinationStream;
}

/** authService returns the options runService/createService start the auth service with. */
export function authService(overrides: AuthServiceOverrides = {}): ServiceOptions<AuthConfig> {
  return {
    name: 'auth',
    version: packageVersion(__dirname),
    config: authConfig,
    env: overrides.env,
    logDestination: overrides.logDestination,
    async setup(ctx) {
      const { config, logger } = ctx;
      const keys = await loadKeyRing(config, logger);
      const data = createDataPlane(ctx, { schema: 'auth', migrationsDir: join(__dirname, 'migrations') });
      const hasher = new Argon2Hasher();
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
      registerAuthConsumers(data.consumer(AUTH_TOPICS), logger);
      return {
        services: [
          { definition: auth.AuthServiceService, implementation: authHandlers({ accounts, sessions, keys }) },
        ],
        components: [{ name: 'password-hasher', start: () => hasher.warmUp() }, ...data.components()],
      };
    },
  };
}
