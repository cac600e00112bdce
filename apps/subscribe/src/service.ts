// The subscribe service's options: config, data plane (schema `subscribe`), the consumers of blog, post and account
// events, and the gRPC handlers. main.ts runs it; tests start it with createService and their own env.
import { serviceNamed } from '@blog/catalog';
import { join } from 'node:path';
import {
  baseConfig,
  createDataPlane,
  dataConfig,
  packageVersion,
  type ServiceOptions,
} from '@blog/framework';
import { AggregateTypes, events, subscribe, topicFor } from '@blog/proto';
import { z } from 'zod';
import { onAccountDeletionRequested, onBlogDeleting } from './events/deletion.handlers';
import { onPostDeleted, onPostPublished, onPostUpdated } from './events/feed.handlers';
import { onSubscriptionAccepted, onSubscriptionRejected } from './events/subscription-saga.handlers';
import { subscribeHandlers } from './server';
import { FeedTail } from './streams/feed-tail';

/** subscribeConfig is the subscribe service's environment. */
export const subscribeConfig = baseConfig(serviceNamed('subscribe'))
  .extend(dataConfig.shape)
  .extend({
    /** FEED_TAIL_INTERVAL_MS is how often a replica looks for new feed rows for its open feed streams. */
    FEED_TAIL_INTERVAL_MS: z.coerce.number().int().min(50).max(60_000).default(500),
  });

/** SubscribeConfig is the typed subscribe configuration. */
export type SubscribeConfig = z.output<typeof subscribeConfig>;

/** subscribeService returns the service options; tests override env (ports 0, database, brokers) and logs. */
export function subscribeService(
  overrides: Partial<ServiceOptions<SubscribeConfig>> = {},
): ServiceOptions<SubscribeConfig> {
  return {
    name: 'subscribe',
    version: packageVersion(__dirname),
    config: subscribeConfig,
    setup: (ctx) => {
      const log = ctx.logger;
      const data = createDataPlane(ctx, {
        schema: 'subscribe',
        migrationsDir: join(__dirname, 'migrations'),
      });
      data
        .consumer([
          topicFor(AggregateTypes.blog),
          topicFor(AggregateTypes.post),
          topicFor(AggregateTypes.account),
        ])
        .on('SubscriptionAccepted', events.SubscriptionAccepted, onSubscriptionAccepted(log))
        .on('SubscriptionRejected', events.SubscriptionRejected, onSubscriptionRejected(log))
        .on('PostPublished', events.PostPublished, onPostPublished(log))
        .on('PostUpdated', events.PostUpdated, onPostUpdated(log))
        .on('PostDeleted', events.PostDeleted, onPostDeleted(log))
        .on('AccountDeletionRequested', events.AccountDeletionRequested, onAccountDeletionRequested(log))
        .on('BlogDeleting', events.BlogDeleting, onBlogDeleting(log));
      // After the data plane's components: the tail reads the migrated feed table.
      const tail = new FeedTail(data.store, ctx.config.FEED_TAIL_INTERVAL_MS, log);
      return {
        services: [
          {
            definition: subscribe.SubscribeServiceService,
            implementation: subscribeHandlers({ store: data.store, outbox: data.outbox, tail }),
          },
        ],
        components: [...data.components(), tail],
      };
    },
    ...overrides,
  };
}
