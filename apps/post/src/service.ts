// The post service: its name, schema, config, consumers and gRPC handlers (main.ts runs it; tests start it with
// their own environment).
import { accessPolicyOf, serviceNamed } from '@blog/catalog';
import { dataService, type ServiceOptions } from '@blog/framework';
import { post as api } from '@blog/proto';
import { postConfig, type PostConfig } from './config';
import { registerConsumers } from './events/consumers';
import { postHandlers } from './server';
import { Posts } from './use-cases/posts';

/** postService returns the post service's options; `overrides` replace any of them (tests: env, logDestination). */
export function postService(overrides: Partial<ServiceOptions<PostConfig>> = {}): ServiceOptions<PostConfig> {
  return dataService(
    {
      name: 'post',
      dir: __dirname,
      schema: 'post',
      config: postConfig,
      consumers: registerConsumers,
      consumes: serviceNamed('post').consumes, // the catalog's list: the start fails if the handlers differ
      access: accessPolicyOf(serviceNamed('post')), // who may call it: the catalog's callers
      setup: (_ctx, data) => ({
        services: [{ definition: api.PostServiceService, implementation: postHandlers(new Posts(data)) }],
      }),
    },
    overrides,
  );
}
