// The blog service: its name, schema, config, consumers and gRPC handlers (main.ts runs it; tests start it with
// their own environment).
import { accessPolicyOf, serviceNamed } from '@blog/catalog';
import { dataService, type ServiceOptions } from '@blog/framework';
import { blog as api } from '@blog/proto';
import { blogConfig, type BlogConfig } from './config';
import { registerConsumers } from './events/consumers';
import { blogHandlers } from './server';
import { Blogs } from './use-cases/blogs';

/** blogService returns the blog service's options; `overrides` replace any of them (tests: env, logDestination). */
export function blogService(overrides: Partial<ServiceOptions<BlogConfig>> = {}): ServiceOptions<BlogConfig> {
  return dataService(
    {
      name: 'blog',
      dir: __dirname,
      schema: 'blog',
      config: blogConfig,
      consumers: registerConsumers,
      consumes: serviceNamed('blog').consumes, // the catalog's list: the start fails if the handlers differ
      access: accessPolicyOf(serviceNamed('blog')), // who may call it: the catalog's callers
      setup: (_ctx, data) => ({
        services: [{ definition: api.BlogServiceService, implementation: blogHandlers(new Blogs(data)) }],
      }),
    },
    overrides,
  );
}
