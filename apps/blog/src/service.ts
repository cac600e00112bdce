// The blog service: its options for createService/runService (main.ts runs them; tests start them with their env).
import { serviceNamed } from '@blog/catalog';
import { join } from 'node:path';
import {
  baseConfig,
  createDataPlane,
  dataConfig,
  packageVersion,
  type ServiceOptions,
} from '@blog/framework';
import { blog as api } from '@blog/proto';
import type { z } from 'zod';
import { consumedTopics, registerHandlers } from './events/consumers';
import { blogHandlers } from './server';

/** blogConfig is the blog service's environment: the shared variables plus DATABASE_URL and KAFKA_BROKERS. */
export const blogConfig = baseConfig(serviceNamed('blog')).extend(dataConfig.shape);

/** BlogConfig is the typed value of blogConfig. */
export type BlogConfig = z.output<typeof blogConfig>;

/** blogService returns the blog service's options; `overrides` replace any of them (tests: env, logDestination). */
export function blogService(overrides: Partial<ServiceOptions<BlogConfig>> = {}): ServiceOptions<BlogConfig> {
  return {
    name: 'blog',
    version: packageVersion(__dirname),
    config: blogConfig,
    setup: (ctx) => {
      const data = createDataPlane(ctx, { schema: 'blog', migrationsDir: join(__dirname, 'migrations') });
      registerHandlers(data.consumer(consumedTopics), ctx.logger);
      return {
        services: [{ definition: api.BlogServiceService, implementation: blogHandlers(data.store) }],
        components: data.components(),
      };
    },
    ...overrides,
  };
}
