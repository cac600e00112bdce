// Test-only: the blog service started in-process against the local stack (the env the stack's vitest global setup
// exports), with a real gRPC client, a store on the blog schema, a broker to feed events and a watcher of its output.
import {
  createClient,
  createLogger,
  createKafkaBroker,
  createService,
  createStore,
  StaticRegistry,
  type KafkaBroker,
  type PgStore,
  type ServiceClient,
  type ServiceHandle,
} from '@blog/framework';
import { AggregateTypes, blog as api, topicFor } from '@blog/proto';
import { blogService, type BlogConfig } from '../service';
import { EventWatcher } from './events';

/** stackEnv returns a variable the stack's global setup exported, or fails naming it. */
export function stackEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run integration tests through vitest.int.config.mts`);
  return value;
}

/** BlogHarness is a running blog service and what a test needs around it. */
export interface BlogHarness {
  service: ServiceHandle<BlogConfig>;
  client: ServiceClient<typeof api.BlogServiceService>;
  /** store reaches the blog schema with the service's own role, to arrange and check state. */
  store: PgStore;
  broker: KafkaBroker;
  /** watcher sees everything on events.blog.blog. */
  watcher: EventWatcher;
  stop(): Promise<void>;
}

/** startBlog starts the watcher, then the service (so nothing it emits is missed), then the client. */
export async function startBlog(): Promise<BlogHarness> {
  const level = (process.env.LOG_LEVEL ?? 'warn') as BlogConfig['LOG_LEVEL'];
  const logger = createLogger({ service: 'blog-it', version: '0.0.0', level });
  const databaseUrl = stackEnv('BLOG_DATABASE_URL');
  const brokers = stackEnv('KAFKA_BROKERS');
  const broker = createKafkaBroker({ brokers: brokers.split(','), clientId: 'blog-it', logger });
  await broker.start();
  const watcher = await new EventWatcher().start(broker, [topicFor(AggregateTypes.blog)]);
  const service = await createService(
    blogService({
      env: {
        GRPC_HOST: '127.0.0.1',
        GRPC_PORT: '0',
        ADMIN_PORT: '0',
        LOG_LEVEL: level,
        DATABASE_URL: databaseUrl,
        KAFKA_BROKERS: brokers,
        INBOX_RETRY_ATTEMPTS: '2',
      },
    }),
  );
  const client = createClient(api.BlogServiceService, {
    service: 'blog',
    registry: new StaticRegistry({ BLOG_SERVICE_ADDR: `127.0.0.1:${service.ports.grpc}` }),
    logger,
    deadlineMs: 5_000,
  });
  const store = createStore({ connectionString: databaseUrl, schema: 'blog', logger, max: 4 });
  return {
    service,
    client,
    store,
    broker,
    watcher,
    async stop() {
      client.close();
      await service.stop();
      await watcher.stop();
      await broker.stop();
      await store.close();
    },
  };
}
