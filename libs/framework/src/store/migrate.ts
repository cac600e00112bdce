// Migrations with node-pg-migrate, run at service start. Each set (the framework's, then the service's) has its own
// migrations table in the service's schema, so both apply exactly once per schema; a per-schema advisory lock
// (waited for, not failed on) lets two replicas start at once: the second finds everything applied.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { runner } from 'node-pg-migrate';
import type { Pool } from 'pg';
import type { Logger } from 'pino';

/** FRAMEWORK_MIGRATIONS_TABLE records the framework's own migrations in each service schema. */
export const FRAMEWORK_MIGRATIONS_TABLE = 'framework_migrations';

/** SERVICE_MIGRATIONS_TABLE records a service's migrations in its schema. */
export const SERVICE_MIGRATIONS_TABLE = 'pgmigrations';

/** frameworkMigrationsDir holds the framework's migrations (.ts in source, .js once built). */
export const frameworkMigrationsDir = join(__dirname, 'migrations');

// Dotfiles, declaration files, source maps and tests sit beside compiled migrations: none of them is a migration.
const IGNORE = String.raw`(?:\..*|.*\.d\.[cm]?ts|.*\.map|.*\.spec\.[cm]?[jt]s)`;

/** MigrateOptions says which migrations to apply to which schema. */
export interface MigrateOptions {
  pool: Pool;
  schema: string;
  logger: Logger;
  /** dir holds the service's migrations; omitted, only the framework's are applied. */
  dir?: string;
}

/** migrate applies the framework's migrations, then the service's, to the schema. */
export async function migrate(options: MigrateOptions): Promise<void> {
  await applyMigrations(options, frameworkMigrationsDir, FRAMEWORK_MIGRATIONS_TABLE);
  if (options.dir) await applyMigrations(options, options.dir, SERVICE_MIGRATIONS_TABLE);
}

async function applyMigrations(options: MigrateOptions, dir: string, migrationsTable: string): Promise<void> {
  const logger = options.logger.child({ migrationsTable });
  const client = await options.pool.connect();
  try {
    const applied = await runner({
      dbClient: client,
      dir,
      schema: options.schema,
      migrationsTable,
      direction: 'up',
      ignorePattern: IGNORE,
      lockValue: lockValue(options.schema),
      advisoryLockMode: 'wait',
      singleTransaction: true,
      checkOrder: true,
      logger: {
        debug: (message: string) => logger.debug(message),
        info: (message: string) => logger.debug(message),
        warn: (message: string) => logger.warn(message),
        error: (message: string) => logger.error(message),
      },
    });
    if (applied.length > 0) logger.info({ applied: applied.map((m) => m.name) }, 'migrations applied');
  } finally {
    // The runner changed this session's search_path and held an advisory lock: do not hand it back to the pool.
    client.release(true);
  }
}

/** lockValue derives a per-schema advisory lock key, so services sharing a database do not wait for each other. */
function lockValue(schema: string): number {
  return createHash('sha256').update(`blog.migrations.${schema}`).digest().readUIntBE(0, 6);
}
