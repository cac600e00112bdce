// The visitor service's options: config, data plane (schema `visitor`), the batching view recorder, the BlogDeleting
// consumer and the gRPC handlers. main.ts runs it; tests start it with createService and their own env.
import { serviceNamed } from '@blog/catalog';
import { join } from 'node:path';
import {
  baseConfig,
  createDataPlane,
  dataConfig,
  packageVersion,
  type ServiceOptions,
} from '@blog/framework';
import { AggregateTypes, events, topicFor, visitor } from '@blog/proto';
import { z } from 'zod';
import { onBlogDeleting } from './events/blog-deleting.handler';
import { ViewRecorder } from './recording/view-recorder';
import { visitorHandlers } from './server';

/** visitorConfig is the visitor service's environment: the shared variables plus the view batching knobs. */
export const visitorConfig = baseConfig(serviceNamed('visitor'))
  .extend(dataConfig.shape)
  .extend({
    /** VIEW_BATCH_MAX: the most views one transaction records. */
    VIEW_BATCH_MAX: z.coerce.number().int().min(1).max(10_000).default(500),
    /** VIEW_BATCH_DELAY_MS: the longest a view waits for its batch to start committing. */
    VIEW_BATCH_DELAY_MS: z.coerce.number().int().min(0).max(1_000).default(5),
  });

/** VisitorConfig is the typed visitor configuration. */
export type VisitorConfig = z.output<typeof visitorConfig>;

/** visitorService returns the service options; tests override env (ports 0, database, brokers) and logs. */
export function visitorService(
  overrides: Partial<ServiceOptions<VisitorConfig>> = {},
): ServiceOptions<VisitorConfig> {
  return {
    name: 'visitor',
    version: packageVersion(__dirname),
    config: visitorConfig,
    setup: (ctx) => {
      const data = createDataPlane(ctx, { schema: 'visitor', migrationsDir: join(__dirname, 'migrations') });
      const recorder = new ViewRecorder({
        store: data.store,
        logger: ctx.logger,
        maxBatch: ctx.config.VIEW_BATCH_MAX,
        maxDelayMs: ctx.config.VIEW_BATCH_DELAY_MS,
        metrics: ctx.metrics,
      });
      data
        .consumer([topicFor(AggregateTypes.blog)])
        .on('BlogDeleting', events.BlogDeleting, onBlogDeleting(ctx.logger));
      return {
        services: [
          {
            definition: visitor.VisitorServiceService,
            implementation: visitorHandlers({ recorder, db: data.store }),
          },
        ],
        // The recorder comes after the store, so it stops (flushing its buffer) before the pool closes.
        components: [...data.components(), recorder],
      };
    },
    ...overrides,
  };
}
