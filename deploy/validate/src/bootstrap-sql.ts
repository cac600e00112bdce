// Facts read out of deploy/compose/postgres/bootstrap.sql, so the checks can hold the connector config to them.
import { readFileSync } from 'node:fs';
import { deployPaths } from './paths';

/** BootstrapFacts are the objects the bootstrap SQL creates that other files depend on. */
export interface BootstrapFacts {
  /** schemaRoles maps each service schema to its login role. */
  schemaRoles: Record<string, string>;
  publication: string;
  publicationTables: string[];
  heartbeatColumns: string[];
}

/** parseBootstrapSql extracts the facts from the SQL text (the file's own shapes: a VALUES list, one publication). */
export function parseBootstrapSql(text: string): BootstrapFacts {
  // Whole-line comments out first: the rendered regions' markers sit inside the statements.
  const sql = text.replace(/^\s*--.*$/gm, '');
  const schemaRoles = Object.fromEntries(
    [...sql.matchAll(/\(\s*'([a-z_]+)'\s*,\s*'([a-z_]+_svc)'\s*\)/g)].map((m) => [m[1], m[2]]),
  );
  const pub = /CREATE PUBLICATION\s+([a-z_]+)\s+FOR TABLE\s+([^;]+?);/is.exec(sql);
  const heartbeat = /CREATE TABLE IF NOT EXISTS debezium\.heartbeat\s*\(([^;]+)\);/is.exec(sql);
  if (!pub) throw new Error('bootstrap.sql: no CREATE PUBLICATION ... FOR TABLE');
  if (!heartbeat) throw new Error('bootstrap.sql: no debezium.heartbeat table');
  return {
    schemaRoles,
    publication: pub[1],
    publicationTables: pub[2].split(',').map((t) => t.trim()),
    heartbeatColumns: heartbeat[1]
      .split(',')
      .map((c) => c.trim().split(/\s+/)[0])
      .filter((c) => c.length > 0),
  };
}

/** readBootstrapSql reads the committed bootstrap SQL. */
export const readBootstrapSql = (path: string = deployPaths.bootstrapSql): string =>
  readFileSync(path, 'utf8');
