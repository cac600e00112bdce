// The framework's first migration: outbox and inbox (see ../framework-tables.ts).
import type { MigrationBuilder } from 'node-pg-migrate';
import { frameworkTablesSql } from '../framework-tables';

/** up creates the outbox and inbox tables unless the stack bootstrap already did. */
export function up(pgm: MigrationBuilder): void {
  pgm.sql(frameworkTablesSql);
}

/** down is false: the outbox sits in Debezium's publication, so no migration drops the framework tables. */
export const down = false;
