// The post service: its options for createService/runService (main.ts runs them; tests start them with their env).
import { serviceNamed } from '@blog/catalog';
import { join } from 'node:path';
import {
  baseConfig,
  createDataPlane,
  dataConfig,
  packageVersion,
  type ServiceOptions,
} from '@blog/framework';
import { post as api } from '@blog/proto';
import type { z } from 'zod';
import { consumedTopics, registerHandlers } from './events/consumers';
import { postHandlers } from './server';

/** postConfig is the post service's environment: the shared variables plus DATABASE_URL and KAFKA_BROKERS. */
export const postConfig = baseConfig(serviceNamed('post')).extend(dataConfig.shape);

/** PostConfig is the typed value of postConfig. */
export type PostConfig = z.output<typeof postConfig>;

/** postService returns the post service's options; `overrides` replace any of them (tests: env, logDestination). */
export function postService(overrides: Partial<ServiceOptions<PostConfig>> = {}): ServiceOptions<PostConfig> {
  return {
    name: 'post',
    version: packageVersion(__dirname),
    config: postConfig,
    setup: (ctx) => {
      const data = createDataPlane(ctx, { schema: 'post', migrationsDir: join(__dirname, 'migrations') });
      registerHandlers(data.consumer(consumedTopics), ctx.logger);
      return {
        services: [
          { definition: api.PostServiceService, implementation: postHandlers(data.store, data.outbox) },
        ],
        components: data.components(),
      };
    },
    ...overrides,
  };
}
