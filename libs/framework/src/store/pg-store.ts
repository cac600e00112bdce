// The Store on node-postgres: one pool per service, every connection bound to the service's schema.
import { Pool } from 'pg';
import type { Logger } from 'pino';
import { migrate } from './migrate';
import {
  PLAIN_IDENTIFIER,
  type QueryResult,
  type QueryResultRow,
  type Store,
  type Transaction,
} from './store';

/** StoreOptions configures createStore; connectionString and schema are required. */
export interface StoreOptions {
  /** connectionString is DATABASE_URL: the service's own login role. */
  connectionString: string;
  schema: string;
  logger: Logger;
  /** max pool size (default 10). */
  max?: number;
  /**
   * min connections kept open while idle (default 2, at most `max`). pg-pool closes idle connections after 10 s, so
   * without a floor a service at rest opened a fresh connection (TCP, TLS, SCRAM, a new backend process: 40-160 ms on
   * a loaded host) for the first transaction after every quiet spell: three of them on every sign-up saga at rest.
   */
  min?: number;
  /** idleTimeoutMs closes a connection idle this long, down to `min` (default 10000, pg-pool's). */
  idleTimeoutMs?: number;
  /** applicationName shows in pg_stat_activity (default the schema). */
  applicationName?: string;
  /** connectionTimeoutMs bounds waiting for a connection (default 5000). */
  connectionTimeoutMs?: number;
  /** pingTimeoutMs bounds the readiness query (default 2000). */
  pingTimeoutMs?: number;
}

/** PgStore is the default Store. */
export class PgStore implements Store {
  /** pool is the underlying pg pool, for what the Store interface does not cover (e.g. LISTEN). */
  readonly pool: Pool;
  readonly schema: string;
  private readonly logger: Logger;
  private readonly pingTimeoutMs: number;

  constructor(options: StoreOptions) {
    if (!PLAIN_IDENTIFIER.test(options.schema))
      throw new Error(`invalid schema name: ${JSON.stringify(options.schema)}`);
    this.schema = options.schema;
    this.logger = options.logger.child({ component: 'store', schema: options.schema });
    this.pingTimeoutMs = options.pingTimeoutMs ?? 2_000;
    this.pool = new Pool({
      connectionString: options.connectionString,
      max: options.max ?? 10,
      min: Math.min(options.min ?? 2, options.max ?? 10),
      idleTimeoutMillis: options.idleTimeoutMs ?? 10_000,
      application_name: options.applicationName ?? options.schema,
      connectionTimeoutMillis: options.connectionTimeoutMs ?? 5_000,
      // Set at connection start-up, so no connection ever runs a query outside the service's schema.
      options: `-c search_path=${options.schema}`,
    });
    // An idle connection dropped by the server emits 'error' on the pool; unhandled, it would kill the process.
    this.pool.on('error', (error) => this.logger.warn({ err: error }, 'idle database connection failed'));
  }

  async query<R = QueryResultRow>(text: string, values?: readonly unknown[]): Promise<QueryResult<R>> {
    const { rows, rowCount } = await this.pool.query(text, values as unknown[] | undefined);
    return { rows: rows as R[], rowCount };
  }

  async withTransaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    let finished = false;
    const committed: (() => void)[] = [];
    const tx: Transaction = {
      query: async <R = QueryResultRow>(text: string, values?: readonly unknown[]) => {
        if (finished) throw new Error('transaction already finished');
        const { rows, rowCount } = await client.query(text, values as unknown[] | undefined);
        return { rows: rows as R[], rowCount };
      },
      afterCommit: (callback) => void committed.push(callback),
    };
    try {
      await client.query('begin');
      const result = await fn(tx);
      await client.query('commit');
      for (const callback of committed) {
        try {
          callback();
        } catch (error) {
          // The transaction committed: a failing bystander (a counter) must not turn it into an error.
          this.logger.warn({ err: error }, 'after-commit callback failed');
        }
      }
      return result;
    } catch (error) {
      await client.query('rollback').catch((rollbackError: Error) => {
        broken = rollbackError;
      });
      throw error;
    } finally {
      finished = true;
      // A connection whose rollback failed is in an unknown state: destroy it rather than pool it.
      client.release(broken);
    }
  }

  async migrate(dir?: string): Promise<void> {
    await migrate({ pool: this.pool, schema: this.schema, logger: this.logger, dir });
  }

  async ping(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`database did not answer within ${this.pingTimeoutMs} ms`)),
        this.pingTimeoutMs,
      );
    });
    try {
      await Promise.race([this.pool.query('select 1'), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** createStore returns the default Store. */
export function createStore(options: StoreOptions): PgStore {
  return new PgStore(options);
}
