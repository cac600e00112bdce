// The visitor service's environment: the shared variables, the data plane's, and the view batching knobs.
import { serviceNamed } from '@blog/catalog';
import { baseConfig, dataConfig } from '@blog/framework';
import { z } from 'zod';

/** visitorConfig is the schema of the visitor service's environment. */
export const visitorConfig = baseConfig(serviceNamed('visitor'))
  .extend(dataConfig.shape)
  .extend({
    /** VIEW_BATCH_MAX: the most views one transaction records. */
    VIEW_BATCH_MAX: z.coerce.number().int().min(1).max(10_000).default(500),
    /** VIEW_BATCH_DELAY_MS: the longest a view waits for its batch to start committing. */
    VIEW_BATCH_DELAY_MS: z.coerce.number().int().min(0).max(1_000).default(5),
  });

/** VisitorConfig is the loaded visitor configuration. */
export type VisitorConfig = z.output<typeof visitorConfig>;
