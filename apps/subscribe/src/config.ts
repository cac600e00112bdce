// The subscribe service's environment: the shared variables, the data plane's, and the feed tail's interval.
import { serviceNamed } from '@blog/catalog';
import { baseConfig, dataConfig } from '@blog/framework';
import { z } from 'zod';

/** subscribeConfig is the schema of the subscribe service's environment. */
export const subscribeConfig = baseConfig(serviceNamed('subscribe'))
  .extend(dataConfig.shape)
  .extend({
    /** FEED_TAIL_INTERVAL_MS is how often a replica looks for new feed rows for its open feed streams. */
    FEED_TAIL_INTERVAL_MS: z.coerce.number().int().min(50).max(60_000).default(500),
  });

/** SubscribeConfig is the loaded subscribe configuration. */
export type SubscribeConfig = z.output<typeof subscribeConfig>;
