// SQL access for tests to a service's schema, with the service's own login role (what the service itself can do),
// and the inbox check that tells whether its consumer has processed an event.
import { createStore, type PgStore, type Queryable } from '@blog/framework';
import { databaseUrlVariable, stackEnv, testLogger } from './env';

/** StackStoreOptions tune stackStore. */
export interface StackStoreOptions {
  /** migrationsDir, when given, is migrated first (framework tables, then the service's), as the service would. */
  migrationsDir?: string;
  /** max is the pool size (default 4). */
  max?: number;
}

/** stackStore opens a store on `schema` as `service`'s role (<NAME>_DATABASE_URL from the stack's global setup). */
export async function stackStore(
  service: string,
  schema: string,
  options: StackStoreOptions = {},
): Promise<PgStore> {
  const store = createStore({
    connectionString: stackEnv(databaseUrlVariable(service)),
    schema,
    logger: testLogger,
    max: options.max ?? 4,
  });
  if (options.migrationsDir) await store.migrate(options.migrationsDir);
  return store;
}

/** isHandled tells whether `consumer` committed the event `eventId`: its inbox row commits with the handler's work. */
export async function isHandled(db: Queryable, consumer: string, eventId: string): Promise<boolean> {
  const { rows } = await db.query('select 1 from inbox where consumer = $1 and message_id = $2', [
    consumer,
    eventId,
  ]);
  return rows.length > 0;
}
