// The options of a service with a database and Kafka, written once: every such app's service.ts is its name, schema,
// config, consumers and handlers, and this adds what they all share (the version from the app's package.json, the
// data plane on the app's migrations folder, the consumer, the components in their safe order).
//
//   export const blogService = (overrides = {}) =>
//     dataService({
//       name: 'blog', dir: __dirname, schema: 'blog', config: blogConfig, consumers: registerConsumers,
//       setup: (ctx, data) => ({ services: [{ definition: api.BlogServiceService, implementation: blogHandlers(new Blogs(data)) }] }),
//     }, overrides);
import { join } from 'node:path';
import type { z } from 'zod';
import type { AccessPolicy } from '../auth';
import type { BaseConfig } from '../config';
import type { InboxConsumer } from '../inbox';
import type { Logger } from '../telemetry';
import { createDataPlane, type DataConfig, type DataPlane, type DataPlaneOptions } from './data-plane';
import type { ServiceContext, ServiceOptions, ServiceParts } from './service';
import { packageVersion } from './version';

/** DataServiceOptions describe a service with a database and Kafka. */
export interface DataServiceOptions<C extends BaseConfig & DataConfig> {
  /** name is the service name (logs, metrics, traces, the consumer group and inbox key). */
  readonly name: string;
  /** dir is the app's src folder (`__dirname` of service.ts): its package.json versions it, its migrations/ migrate it. */
  readonly dir: string;
  /** schema is the service's own PostgreSQL schema. */
  readonly schema: string;
  readonly config: z.ZodType<C>;
  readonly reloadable?: ServiceOptions<C>['reloadable'];
  readonly retry?: DataPlaneOptions['retry'];
  /** consumers registers the service's event handlers (`consumer.on(Event, handler)`); its topics follow. */
  readonly consumers?: (consumer: InboxConsumer, logger: Logger) => unknown;
  /**
   * consumes are the topics the service catalog declares it reads (`serviceNamed(name).consumes`): deployments and
   * access rules are rendered from them, so a service whose handlers read other topics refuses to start.
   */
  readonly consumes?: readonly string[];
  /** access is the catalog's access policy of the service (`accessPolicyOf(serviceNamed(name))`). */
  readonly access?: AccessPolicy;
  /**
   * setup builds the gRPC services from the data plane; components it returns start after the data plane's (store,
   * broker, consumers, housekeeping) and stop before them.
   */
  readonly setup: (ctx: ServiceContext<C>, data: DataPlane) => Promise<ServiceParts> | ServiceParts;
}

/**
 * checkConsumedTopics throws when the topics a service's handlers read differ from what its catalog entry declares,
 * naming both sides (the catalog is the one place deployments and access rules are derived from).
 */
export function checkConsumedTopics(
  name: string,
  declared: readonly string[],
  handled: readonly string[],
): void {
  const missing = handled.filter((t) => !declared.includes(t)).sort();
  const unused = declared.filter((t) => !handled.includes(t)).sort();
  if (missing.length === 0 && unused.length === 0) return;
  const parts = [
    missing.length > 0
      ? `its handlers read ${missing.join(', ')}, which its catalog entry does not list`
      : '',
    unused.length > 0 ? `its catalog entry lists ${unused.join(', ')}, which no handler reads` : '',
  ].filter(Boolean);
  throw new Error(`${name}: ${parts.join('; ')} (libs/catalog/src/services/${name}.ts \`consumes\`)`);
}

/** dataService returns the ServiceOptions of a data service; `overrides` replace any of them (tests: env, logs). */
export function dataService<C extends BaseConfig & DataConfig>(
  options: DataServiceOptions<C>,
  overrides: Partial<ServiceOptions<C>> = {},
): ServiceOptions<C> {
  return {
    name: options.name,
    version: packageVersion(options.dir),
    config: options.config,
    reloadable: options.reloadable,
    access: options.access,
    async setup(ctx) {
      const data = createDataPlane(ctx, {
        schema: options.schema,
        migrationsDir: join(options.dir, 'migrations'),
        retry: options.retry,
      });
      let topics: readonly string[] = [];
      if (options.consumers) {
        const consumer = data.consumer();
        options.consumers(consumer, ctx.logger);
        topics = consumer.topics;
      }
      if (options.consumes) checkConsumedTopics(options.name, options.consumes, topics);
      const parts = await options.setup(ctx, data);
      return { ...parts, components: [...data.components(), ...(parts.components ?? [])] };
    },
    ...overrides,
  };
}
