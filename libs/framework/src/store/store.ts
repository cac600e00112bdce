// The Store contract: a service's own PostgreSQL schema, reached through a pool whose connections have
// search_path set to that schema, so repositories write plain table names. The pg implementation is pg-store.ts.
//
//   const store = createStore({ connectionString: env.DATABASE_URL, schema: 'users', logger });
//   await store.migrate(join(__dirname, 'migrations')); // framework tables (outbox, inbox) first, then the service's
//   await store.withTransaction(async (tx) => {
//     await tx.query('update profile set nickname = $1 where id = $2', [nickname, id]);
//     await outbox.add(tx, event);
//   });

/** QueryResultRow is one row of a result, keyed by column name. */
export type QueryResultRow = Record<string, unknown>;

/** QueryResult is what a query returns. */
export interface QueryResult<R = QueryResultRow> {
  rows: R[];
  /** rowCount is the number of rows returned or affected (null for statements that report none). */
  rowCount: number | null;
}

/** Queryable runs one parameterised SQL statement. */
export interface Queryable {
  query<R = QueryResultRow>(text: string, values?: readonly unknown[]): Promise<QueryResult<R>>;
}

/** Transaction is an open database transaction; it must not be used once the function that received it returned. */
export interface Transaction extends Queryable {
  /**
   * afterCommit runs `callback` once the transaction committed, never if it rolled back: for what must not count
   * work that was undone (an inbox batch rolls back and runs its handlers again). Absent where a runner cannot tell.
   */
  afterCommit?(callback: () => void): void;
}

/** TransactionRunner runs a function in one transaction: commit when it resolves, rollback when it rejects. */
export interface TransactionRunner {
  withTransaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T>;
}

/** Store is a service's database: its own schema, transactions, migrations, readiness. */
export interface Store extends Queryable, TransactionRunner {
  /** schema is the service's schema, first (and only) on every connection's search_path. */
  readonly schema: string;
  /** migrate applies the framework's migrations, then those in `dir` (if given), each set once, under a lock. */
  migrate(dir?: string): Promise<void>;
  /** ping rejects when the database cannot answer a trivial query in time (the readiness check). */
  ping(): Promise<void>;
  /** close waits for checked-out connections to return, then closes the pool. */
  close(): Promise<void>;
}

/** PLAIN_IDENTIFIER matches the schema and table names the framework splices into SQL and connection options. */
export const PLAIN_IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;
