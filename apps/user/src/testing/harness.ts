// Test support (excluded from the build): the real user service in-process on the local stack (ports 0), a real
// gRPC client, a tap on events.user.profile, a broker to feed events with, and SQL access to the users schema.
import {
  createClient,
  createService,
  createStore,
  StaticRegistry,
  type Broker,
  type PgStore,
  type ServiceClient,
  type ServiceHandle,
} from '@blog/framework';
import { AggregateTypes, topicFor, user } from '@blog/proto';
import pino from 'pino';
import { userService, type UserConfig } from '../service';
import { EventTap, LogTap, testBroker } from './events';

/** UserHarness is a running user service and what a test needs around it. */
export interface UserHarness {
  readonly service: ServiceHandle<UserConfig>;
  readonly client: ServiceClient<typeof user.UserServiceService>;
  /** broker publishes test events (see publishRecord). */
  readonly broker: Broker;
  /** profileEvents sees everything on events.user.profile. */
  readonly profileEvents: EventTap;
  readonly logs: LogTap;
  /** db reaches the users schema with the service's own role. */
  readonly db: PgStore;
  close(): Promise<void>;
}

/** userDatabaseUrl is the user role's URL exported by the stack's global setup. */
export function userDatabaseUrl(): string {
  const url = process.env.USER_DATABASE_URL;
  if (!url)
    throw new Error('USER_DATABASE_URL is not set: run through vitest.int.config.mts (the stack setup)');
  return url;
}

/** startUser starts the service with debug logs captured. */
export async function startUser(): Promise<UserHarness> {
  const logs = new LogTap();
  const service = await createService(
    userService({
      env: {
        NODE_ENV: 'test',
        GRPC_HOST: '127.0.0.1',
        GRPC_PORT: '0',
        ADMIN_PORT: '0',
        LOG_LEVEL: 'debug',
        DATABASE_URL: userDatabaseUrl(),
        KAFKA_BROKERS: process.env.KAFKA_BROKERS,
        // Fast handler retries: a failing handler shows up in seconds, not minutes.
        INBOX_RETRY_ATTEMPTS: '2',
      },
      logDestination: logs,
    }),
  );
  const logger = pino({ level: 'silent' });
  const client = createClient(user.UserServiceService, {
    service: 'user',
    registry: new StaticRegistry({ USER_SERVICE_ADDR: `127.0.0.1:${service.ports.grpc}` }),
    logger,
    deadlineMs: 15_000,
  });
  const broker = await testBroker('user');
  const profileEvents = await EventTap.open(broker, [topicFor(AggregateTypes.profile)]);
  const db = createStore({ connectionString: userDatabaseUrl(), schema: 'users', logger, max: 4 });
  return {
    service,
    client,
    broker,
    profileEvents,
    logs,
    db,
    async close() {
      client.close();
      await broker.stop();
      await service.stop();
      await db.close();
    },
  };
}
