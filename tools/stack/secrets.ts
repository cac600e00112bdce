// Dev-only database and Kafka passwords: generated on the first start into .stack/secrets.json (mode 600), never committed.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { KAFKA_ADMIN_USER, kafkaUsers, services as catalog } from '@blog/catalog';
import { services, type ServiceName } from './services';

/** StackSecrets are the passwords of the stack's database roles. */
export interface StackSecrets {
  /** admin is the `postgres` superuser's password (bootstrap and operators only). */
  admin: string;
  /** debezium is the replication role's password (the Connect worker gets it through its environment). */
  debezium: string;
  /** services maps each service to its login role's password. */
  services: Record<ServiceName, string>;
  /**
   * kafka maps each Kafka user (SCRAM) to its password: `admin` (the broker and the bootstrap), every service,
   * `debezium` and `blog-tools` (libs/catalog kafka-acls.ts says what each may do).
   */
  kafka: Record<string, string>;
}

/** stackKafkaUsers are the Kafka users of the stack: the super user first, then the catalog's principals. */
export const stackKafkaUsers = (): string[] => [KAFKA_ADMIN_USER, ...kafkaUsers(catalog)];

const password = (): string => randomBytes(18).toString('base64url');

/** generateSecrets makes a fresh set of random passwords. */
export function generateSecrets(): StackSecrets {
  return {
    admin: password(),
    debezium: password(),
    services: Object.fromEntries(services.map((s) => [s.name, password()])) as Record<ServiceName, string>,
    kafka: Object.fromEntries(stackKafkaUsers().map((user) => [user, password()])),
  };
}

/** loadOrCreateSecrets reads the secrets file, creating it (mode 600) on first use; missing entries are added. */
export function loadOrCreateSecrets(file: string): StackSecrets {
  const fresh = generateSecrets();
  const stored = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<StackSecrets>) : {};
  const secrets: StackSecrets = {
    admin: stored.admin ?? fresh.admin,
    debezium: stored.debezium ?? fresh.debezium,
    services: { ...fresh.services, ...stored.services },
    kafka: { ...fresh.kafka, ...stored.kafka },
  };
  if (JSON.stringify(secrets) !== JSON.stringify(stored)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  }
  chmodSync(file, 0o600);
  return secrets;
}

/** readSecrets reads existing secrets without creating any (status and clients of a running stack). */
export function readSecrets(file: string): StackSecrets | undefined {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as StackSecrets) : undefined;
}
