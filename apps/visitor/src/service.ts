// The visitor service: its name, schema, config, consumers and gRPC handlers, with the batching view recorder
// (main.ts runs it; tests start it with their own environment).
import { accessPolicyOf, serviceNamed } from '@blog/catalog';
import { dataService, type ServiceOptions } from '@blog/framework';
import { visitor as api } from '@blog/proto';
import { visitorConfig, type VisitorConfig } from './config';
import { registerConsumers } from './events/consumers';
import { visitorHandlers } from './server';
import { ViewRecorder } from './use-cases/view-recorder';
import { Views } from './use-cases/views';

/** visitorService returns the visitor service's options; `overrides` replace any of them (tests: env, logs). */
export function visitorService(
  overrides: Partial<ServiceOptions<VisitorConfig>> = {},
): ServiceOptions<VisitorConfig> {
  return dataService(
    {
      name: 'visitor',
      dir: __dirname,
      schema: 'visitor',
      config: visitorConfig,
      consumers: registerConsumers,
      consumes: serviceNamed('visitor').consumes, // the catalog's list: the start fails if the handlers differ
      access: accessPolicyOf(serviceNamed('visitor')), // who may call it: the catalog's callers
      setup: (ctx, data) => {
        const recorder = new ViewRecorder({
          store: data.store,
          logger: ctx.logger,
          maxBatch: ctx.config.VIEW_BATCH_MAX,
          maxDelayMs: ctx.config.VIEW_BATCH_DELAY_MS,
          metrics: ctx.metrics,
        });
        return {
          services: [
            {
              definition: api.VisitorServiceService,
              implementation: visitorHandlers(new Views({ recorder, store: data.store })),
            },
          ],
          // After the store's components: the recorder stops (flushing its buffer) before the pool closes.
          components: [recorder],
        };
      },
    },
    overrides,
  );
}
