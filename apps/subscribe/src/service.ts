// The subscribe service: its name, schema, config, consumers and gRPC handlers, with the feed tail that wakes feed
// streams (main.ts runs it; tests start it with their own environment).
import { accessPolicyOf, serviceNamed } from '@blog/catalog';
import { dataService, type ServiceOptions } from '@blog/framework';
import { subscribe as api } from '@blog/proto';
import { subscribeConfig, type SubscribeConfig } from './config';
import { registerConsumers } from './events/consumers';
import { subscribeHandlers } from './server';
import { FeedTail } from './streams/feed-tail';
import { Feeds } from './use-cases/feeds';
import { Subscriptions } from './use-cases/subscriptions';

/** subscribeService returns the subscribe service's options; `overrides` replace any of them (tests: env, logs). */
export function subscribeService(
  overrides: Partial<ServiceOptions<SubscribeConfig>> = {},
): ServiceOptions<SubscribeConfig> {
  return dataService(
    {
      name: 'subscribe',
      dir: __dirname,
      schema: 'subscribe',
      config: subscribeConfig,
      consumers: registerConsumers,
      consumes: serviceNamed('subscribe').consumes, // the catalog's list: the start fails if the handlers differ
      access: accessPolicyOf(serviceNamed('subscribe')), // who may call it: the catalog's callers
      setup: (ctx, data) => {
        // After the data plane's components: the tail reads the migrated feed table.
        const tail = new FeedTail(data.store, ctx.config.FEED_TAIL_INTERVAL_MS, ctx.logger);
        const handlers = subscribeHandlers({
          subscriptions: new Subscriptions(data),
          feeds: new Feeds({ store: data.store, tail }),
        });
        return {
          services: [{ definition: api.SubscribeServiceService, implementation: handlers }],
          components: [tail],
        };
      },
    },
    overrides,
  );
}
