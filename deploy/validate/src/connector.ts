// The Debezium connector config's single source, deploy/connector/debezium-outbox.json, as the checks read it.
import { readFileSync } from 'node:fs';
import { deployPaths } from './paths';

/** ConnectorSource is a connector's name and its flat string config. */
export interface ConnectorSource {
  name: string;
  config: Record<string, string>;
}

/** parseConnector accepts Kafka Connect's POST body shape ({name, config}) and checks every value is a string. */
export function parseConnector(json: unknown, origin = 'connector'): ConnectorSource {
  const body = json as { name?: unknown; config?: unknown };
  if (
    typeof body !== 'object' ||
    body === null ||
    typeof body.name !== 'string' ||
    typeof body.config !== 'object'
  ) {
    throw new Error(`${origin}: expected {"name": string, "config": {...}}`);
  }
  const config = body.config as Record<string, unknown>;
  for (const [key, value] of Object.entries(config)) {
    if (typeof value !== 'string')
      throw new Error(`${origin}: config "${key}" must be a string (Connect configs are strings)`);
  }
  return { name: body.name, config: config as Record<string, string> };
}

/** readConnector reads the committed connector config. */
export function readConnector(path: string = deployPaths.connector): ConnectorSource {
  return parseConnector(JSON.parse(readFileSync(path, 'utf8')), path);
}

/** envPlaceholders lists the variables the config takes from the worker's environment (`${env:NAME}`). */
export function envPlaceholders(connector: ConnectorSource): string[] {
  const names = new Set<string>();
  for (const value of Object.values(connector.config)) {
    for (const match of value.matchAll(/\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g)) names.add(match[1]);
  }
  return [...names].sort();
}
