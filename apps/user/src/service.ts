// The user service: its name, schema, config, consumers and gRPC handlers (main.ts runs it; tests start it with
// their own environment).
import { accessPolicyOf, serviceNamed } from '@blog/catalog';
import { dataService, type ServiceOptions } from '@blog/framework';
import { user as api } from '@blog/proto';
import { userConfig, type UserConfig } from './config';
import { registerConsumers } from './events/consumers';
import { userHandlers } from './server';
import { Profiles } from './use-cases/profiles';

/** userService returns the user service's options; `overrides` replace any of them (tests: env, logDestination). */
export function userService(overrides: Partial<ServiceOptions<UserConfig>> = {}): ServiceOptions<UserConfig> {
  return dataService(
    {
      name: 'user',
      dir: __dirname,
      schema: 'users',
      config: userConfig,
      consumers: registerConsumers,
      consumes: serviceNamed('user').consumes, // the catalog's list: the start fails if the handlers differ
      access: accessPolicyOf(serviceNamed('user')), // who may call it: the catalog's callers
      setup: (_ctx, data) => ({
        services: [{ definition: api.UserServiceService, implementation: userHandlers(new Profiles(data)) }],
      }),
    },
    overrides,
  );
}
