// Test-only: the post service started in-process against the local stack (the env the stack's vitest global setup
// exports), with a real gRPC client, a store on the post schema, a broker to feed events and a watcher of its output.
import {
  createClient,
  createKafkaBroker,
  createLogger,
  createService,
  createStore,
  StaticRegistry,
  type KafkaBroker,
  type PgStore,
  type ServiceClient,
  type ServiceHandle,
} from '@blog/framework';
import { AggregateTypes, post as api, topicFor } from '@blog/proto';
import { postService, type PostConfig } from '../service';
import { EventWatcher } from './events';

/** stackEnv returns a variable the stack's global setup exported, or fails naming it. */
export function stackEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run integration tests through vitest.int.config.mts`);
  return value;
}

/** PostHarness is a running post service and what a test needs around it. */
export interface PostHarness {
  service: ServiceHandle<PostConfig>;
  client: ServiceClient<typeof api.PostServiceService>;
  /** store reaches the post schema with the service's own role, to arrange and check state. */
  store: PgStore;
  broker: KafkaBroker;
  /** watcher sees everything on events.post.post. */
  watcher: EventWatcher;
  stop(): Promise<void>;
}

/** startPost starts the watcher, then the service (so nothing it emits is missed), then the client. */
export async function startPost(): Promise<PostHarness> {
  const level = process.env.LOG_LEVEL ?? 'warn';
  const logger = createLogger({ service: 'post-it', version: '0.0.0', level });
  const databaseUrl = stackEnv('POST_DATABASE_URL');
  const brokers = stackEnv('KAFKA_BROKERS');
  const broker = createKafkaBroker({ brokers: brokers.split(','), clientId: 'post-it', logger });
  await broker.start();
  const watcher = await new EventWatcher().start(broker, [topicFor(AggregateTypes.post)]);
  const service = await createService(
    postService({
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
  const client = createClient(api.PostServiceService, {
    service: 'post',
    registry: new StaticRegistry({ POST_SERVICE_ADDR: `127.0.0.1:${service.ports.grpc}` }),
    logger,
    deadlineMs: 5_000,
  });
  const store = createStore({ connectionString: databaseUrl, schema: 'post', logger, max: 4 });
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
