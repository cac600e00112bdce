// The user service's options: config, data plane, use cases, handlers and consumers. main.ts runs them; tests start
// them in-process with their own environment.
import { serviceNamed } from '@blog/catalog';
import { join } from 'node:path';
import {
  baseConfig,
  createDataPlane,
  dataConfig,
  packageVersion,
  type Env,
  type ServiceOptions,
} from '@blog/framework';
import { user } from '@blog/proto';
import type { DestinationStream } from 'pino';
import type { z } from 'zod';
import { registerUserConsumers, USER_TOPICS } from './events/consumers';
import { userHandlers } from './server';
import { Profiles } from './use-cases/profiles';

/** userConfig is the schema of the user service's environment. */
export const userConfig = baseConfig(serviceNamed('user')).extend(dataConfig.shape);

/** UserConfig is the loaded user configuration. */
export type UserConfig = z.output<typeof userConfig>;

/** UserServiceOverrides replace what tests must control. */
export interface UserServiceOverrides {
  /** env is read instead of process.env. */
  readonly env?: Env;
  readonly logDestination?: DestinationStream;
}

/** userService returns the options runService/createService start the user service with. */
export function userService(overrides: UserServiceOverrides = {}): ServiceOptions<UserConfig> {
  return {
    name: 'user',
    version: packageVersion(__dirname),
    config: userConfig,
    env: overrides.env,
    logDestination: overrides.logDestination,
    setup(ctx) {
      const data = createDataPlane(ctx, { schema: 'users', migrationsDir: join(__dirname, 'migrations') });
      const profiles = new Profiles({ store: data.store, outbox: data.outbox });
      registerUserConsumers(data.consumer(USER_TOPICS), ctx.logger);
      return {
        services: [{ definition: user.UserServiceService, implementation: userHandlers(profiles) }],
        components: data.components(),
      };
    },
  };
}
