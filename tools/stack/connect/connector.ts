// Registers the Debezium outbox connector from deploy/connector/debezium-outbox.json, the one copy of its
// config (compose and Kubernetes read the same file).
import { readFileSync } from 'node:fs';
import {
  ConnectError,
  type ConnectorConfig,
  type ConnectorStatus,
  type KafkaConnectClient,
} from '@blog/kafka-connect';

/** ConnectorDefinition is the file's shape: the body of POST /connectors. */
export interface ConnectorDefinition {
  name: string;
  config: ConnectorConfig;
}

/** loadConnectorDefinition reads and checks the connector file. */
export function loadConnectorDefinition(file: string): ConnectorDefinition {
  const definition = JSON.parse(readFileSync(file, 'utf8')) as Partial<ConnectorDefinition>;
  if (
    typeof definition.name !== 'string' ||
    typeof definition.config !== 'object' ||
    definition.config === null
  ) {
    throw new Error(`${file} must be {"name": "...", "config": {...}}`);
  }
  return { name: definition.name, config: definition.config };
}

/**
 * registerConnector creates or updates the connector and waits until it and its task run. An unchanged config
 * is not PUT again: every PUT restarts the connector, which would replay events for nothing.
 */
export async function registerConnector(
  client: KafkaConnectClient,
  definition: ConnectorDefinition,
  timeoutMs = 60_000,
): Promise<{ created: boolean; changed: boolean; status: ConnectorStatus }> {
  const current = await client.config(definition.name).catch((error: unknown) => {
    if (error instanceof ConnectError && error.isNotFound) return undefined;
    throw error;
  });
  const changed = current === undefined || !sameConfig(current, definition.config);
  const created = changed ? (await client.createOrUpdate(definition.name, definition.config)).created : false;
  const status = await client.waitUntilRunning(definition.name, { timeoutMs });
  return { created, changed, status };
}

/** sameConfig compares two configs, ignoring the `name` entry Connect adds. */
export function sameConfig(a: ConnectorConfig, b: ConnectorConfig): boolean {
  const strip = (c: ConnectorConfig) =>
    Object.entries(c)
      .filter(([key]) => key !== 'name')
      .sort(([x], [y]) => x.localeCompare(y));
  return JSON.stringify(strip(a)) === JSON.stringify(strip(b));
}
