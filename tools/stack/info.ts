// How clients reach a running stack: broker list, Connect URL and each role's DATABASE_URL.
import { certsDir } from './certs';
import { loadStackConfig, type StackConfig } from './config';
import { connectUrl } from './connect/worker';
import { loadConnectorDefinition } from './connect/connector';
import { StackError } from './errors';
import type { KafkaSasl } from '@blog/framework';
import { brokerList } from './kafka/broker';
import { kafkaSasl } from './kafka/security';
import { superuser } from './postgres/cluster';
import { readSecrets, type StackSecrets } from './secrets';
import { services, type ServiceName } from './services';

/** StackInfo is everything a service or a test needs to talk to the stack. */
export interface StackInfo {
  kafkaBrokers: string[];
  connectUrl: string;
  connectorName: string;
  /** adminDatabaseUrl connects as the superuser (tests that inspect the database, operators). */
  adminDatabaseUrl: string;
  /** databaseUrls are each service's DATABASE_URL (its own login role, database `blog`). */
  databaseUrls: Record<ServiceName, string>;
  /** certsDir holds the development CA and each workload's <name>/{ca.crt,tls.crt,tls.key} (certs.ts). */
  certsDir: string;
  /**
   * kafkaUsers are each Kafka user's credentials: every service by its name, `debezium`, `blog-tools` (the CLI, the
   * console, the e2e suite) and `admin` (the bootstrap and test fixtures that make topics of their own).
   */
  kafkaUsers: Record<string, KafkaSasl>;
}

/** databaseUrl builds a postgres:// URL for a role of the stack's cluster. */
export function databaseUrl(
  config: StackConfig,
  user: string,
  password: string,
  database = config.database,
): string {
  return `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${config.host}:${config.ports.postgres}/${database}`;
}

/** stackInfo describes the stack of this checkout; it needs the secrets of a stack that was started once. */
export function stackInfo(config: StackConfig = loadStackConfig(), secrets?: StackSecrets): StackInfo {
  const known = secrets ?? readSecrets(config.secretsFile);
  if (!known) throw new StackError(`no ${config.secretsFile} yet: run \`npm run stack:up\` first`);
  return {
    kafkaBrokers: brokerList(config),
    connectUrl: connectUrl(config),
    connectorName: loadConnectorDefinition(config.connectorFile).name,
    adminDatabaseUrl: databaseUrl(config, superuser, known.admin),
    certsDir: certsDir(config),
    databaseUrls: Object.fromEntries(
      services.map((s) => [s.name, databaseUrl(config, s.role, known.services[s.name])]),
    ) as Record<ServiceName, string>,
    kafkaUsers: Object.fromEntries(
      Object.keys(known.kafka ?? {}).map((user) => [user, kafkaSasl(known, user)]),
    ),
  };
}
