// Test support (excluded from the build): the real auth service in-process on the local stack (ports 0), a real
// gRPC client, a tap on events.auth.account, a broker to feed events with, and SQL access to the auth schema.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
import { AggregateTypes, auth, topicFor } from '@blog/proto';
import pino from 'pino';
import type { AuthConfig } from '../config';
import { authService } from '../service';
import { EventTap, LogTap, testBroker } from './events';

/** AuthHarness is a running auth service and what a test needs around it. */
export interface AuthHarness {
  readonly service: ServiceHandle<AuthConfig>;
  readonly client: ServiceClient<typeof auth.AuthServiceService>;
  /** broker publishes test events (see publishRecord). */
  readonly broker: Broker;
  /** accountEvents sees everything on events.auth.account. */
  readonly accountEvents: EventTap;
  readonly logs: LogTap;
  /** db reaches the auth schema with the service's own role. */
  readonly db: PgStore;
  close(): Promise<void>;
}

/** databaseUrl is the auth role's URL exported by the stack's global setup. */
export function authDatabaseUrl(): string {
  const url = process.env.AUTH_DATABASE_URL;
  if (!url)
    throw new Error('AUTH_DATABASE_URL is not set: run through vitest.int.config.mts (the stack setup)');
  return url;
}

/** startAuth starts the service with dev keys in a temporary folder and debug logs captured. */
export async function startAuth(): Promise<AuthHarness> {
  const keysDir = await mkdtemp(join(tmpdir(), 'auth-it-keys-'));
  const logs = new LogTap();
  const service = await createService(
    authService({
      env: {
        NODE_ENV: 'test',
        GRPC_HOST: '127.0.0.1',
        GRPC_PORT: '0',
        ADMIN_PORT: '0',
        LOG_LEVEL: 'debug',
        DATABASE_URL: authDatabaseUrl(),
        KAFKA_BROKERS: process.env.KAFKA_BROKERS,
        AUTH_DEV_KEYS_DIR: keysDir,
        // Fast handler retries: a failing handler shows up in seconds, not minutes.
        INBOX_RETRY_ATTEMPTS: '2',
      },
      logDestination: logs,
    }),
  );
  const logger = pino({ level: 'silent' });
  const client = createClient(auth.AuthServiceService, {
    service: 'auth',
    registry: new StaticRegistry({ AUTH_SERVICE_ADDR: `127.0.0.1:${service.ports.grpc}` }),
    logger,
    deadlineMs: 15_000,
  });
  const broker = await testBroker('auth');
  const accountEvents = await EventTap.open(broker, [topicFor(AggregateTypes.account)]);
  const db = createStore({ connectionString: authDatabaseUrl(), schema: 'auth', logger, max: 4 });
  return {
    service,
    client,
    broker,
    accountEvents,
    logs,
    db,
    async close() {
      client.close();
      await broker.stop();
      await service.stop();
      await db.close();
      await rm(keysDir, { recursive: true, force: true });
    },
  };
}
