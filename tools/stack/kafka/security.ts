// The broker's users and ACLs. Users (SCRAM-SHA-512) are made at the first storage format; a user the catalog gained
// later is added by the super user with Kafka's own ConfigCommand (the controller does not take that request itself). The ACLs are the catalog's
// (libs/catalog kafka-acls.ts), applied on every start: missing ones are created, ones the catalog no longer lists
// are deleted, so the broker allows exactly what the catalog says.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kafkaAcls, services as catalog, type KafkaAcl, type KafkaOperation } from '@blog/catalog';
import type { KafkaSasl } from '@blog/framework';
// eslint-disable-next-line no-restricted-imports -- the stack's own tooling, like admin.ts
import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  ResourcePatternTypes,
  type AclEntry,
} from 'kafkajs';
import type { StackConfig } from '../config';
import { StackError } from '../errors';
import { consoleFile, javaArgs } from '../jvm/java';
import type { JarCache } from '../jvm/jar-cache';
import { stackKafkaUsers, type StackSecrets } from '../secrets';
import { connectAdmin } from './admin';

/** SCRAM_MECHANISM is the one mechanism of the client listener. */
export const SCRAM_MECHANISM = 'SCRAM-SHA-512';

/** adminSasl is the super user's credentials (the bootstrap's: topics, users and ACLs). */
export const adminSasl = (secrets: StackSecrets): KafkaSasl => kafkaSasl(secrets, 'admin');

/** kafkaSasl is a Kafka user's credentials from the stack's secrets. */
export function kafkaSasl(secrets: StackSecrets, user: string): KafkaSasl {
  const password = secrets.kafka[user];
  if (!password) throw new StackError(`no Kafka password for ${user} in the stack's secrets`);
  return { mechanism: 'scram-sha-512', username: user, password };
}

/** usersFile records the SCRAM users the broker's metadata already holds (beside the data it describes). */
const usersFile = (config: StackConfig) => join(config.kafkaDir, 'scram-users.json');

/** createdUsers reads the users made so far; undefined for storage formatted before the broker had users. */
export function createdUsers(config: StackConfig): string[] | undefined {
  const file = usersFile(config);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as string[]) : undefined;
}

/** recordUsers writes the users the broker now holds. */
export function recordUsers(config: StackConfig, users: readonly string[]): void {
  writeFileSync(usersFile(config), `${JSON.stringify([...new Set(users)].sort(), null, 2)}\n`, {
    mode: 0o600,
  });
}

/** scramFormatArgs are kafka-storage's --add-scram arguments that make every user at the first format. */
export function scramFormatArgs(secrets: StackSecrets): string[] {
  return stackKafkaUsers().flatMap((user) => [
    '--add-scram',
    `${SCRAM_MECHANISM}=[name=${user},password=${kafkaSasl(secrets, user).password}]`,
  ]);
}

/** ensureUsers adds the SCRAM users the broker lacks (a service new in the catalog) with ConfigCommand, as admin. */
export function ensureUsers(
  config: StackConfig,
  cache: JarCache,
  java: () => string,
  secrets: StackSecrets,
): string[] {
  const made = new Set(createdUsers(config) ?? []);
  const missing = stackKafkaUsers().filter((user) => !made.has(user));
  if (missing.length === 0) return [];
  const clientConfig = join(config.kafkaDir, 'admin-client.properties');
  writeFileSync(
    clientConfig,
    [
      'security.protocol=SASL_PLAINTEXT',
      `sasl.mechanism=${SCRAM_MECHANISM}`,
      `sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="${adminSasl(secrets).password}";`,
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  const out = openSync(consoleFile(config, 'kafka-storage'), 'a');
  try {
    for (const user of missing) {
      const result = spawnSync(
        java(),
        javaArgs(config, cache, 'kafka-storage', 'kafka.admin.ConfigCommand', [
          '--bootstrap-server',
          `${config.host}:${config.ports.kafka}`,
          '--command-config',
          clientConfig,
          '--alter',
          '--entity-type',
          'users',
          '--entity-name',
          user,
          '--add-config',
          `${SCRAM_MECHANISM}=[password=${kafkaSasl(secrets, user).password}]`,
        ]),
        { stdio: ['ignore', out, out], env: process.env },
      );
      if (result.error || result.status !== 0) {
        throw new StackError(
          `creating the Kafka user ${user} failed (exit ${result.status}): see ${consoleFile(config, 'kafka-storage')}`,
        );
      }
      made.add(user);
      recordUsers(config, [...made]);
    }
  } finally {
    closeSync(out);
  }
  return missing;
}

const operationCodes: Record<KafkaOperation, AclOperationTypes> = {
  read: AclOperationTypes.READ,
  write: AclOperationTypes.WRITE,
  create: AclOperationTypes.CREATE,
  delete: AclOperationTypes.DELETE,
  describe: AclOperationTypes.DESCRIBE,
  'describe-configs': AclOperationTypes.DESCRIBE_CONFIGS,
};

/** aclEntries turns the catalog's ACLs into Kafka's bindings: one per operation, allowed from any host. */
export function aclEntries(acls: readonly KafkaAcl[]): AclEntry[] {
  return acls.flatMap((acl) =>
    acl.operations.map((operation) => ({
      resourceType:
        acl.resource.type === 'topic'
          ? AclResourceTypes.TOPIC
          : acl.resource.type === 'group'
            ? AclResourceTypes.GROUP
            : AclResourceTypes.CLUSTER,
      resourceName: acl.resource.type === 'cluster' ? 'kafka-cluster' : acl.resource.name,
      resourcePatternType:
        acl.resource.pattern === 'prefixed' ? ResourcePatternTypes.PREFIXED : ResourcePatternTypes.LITERAL,
      principal: `User:${acl.user}`,
      host: '*',
      operation: operationCodes[operation],
      permissionType: AclPermissionTypes.ALLOW,
    })),
  );
}

const bindingKey = (e: AclEntry) =>
  [
    e.resourceType,
    e.resourceName,
    e.resourcePatternType,
    e.principal,
    e.host,
    e.operation,
    e.permissionType,
  ].join('|');

/** ensureAcls makes the broker's ACLs exactly the catalog's; returns how many were created and deleted. */
export async function ensureAcls(
  brokers: string[],
  sasl: KafkaSasl,
  acls: readonly KafkaAcl[] = kafkaAcls(catalog),
): Promise<{ created: number; deleted: number; total: number }> {
  const wanted = aclEntries(acls);
  const admin = await connectAdmin(brokers, sasl);
  try {
    const described = await admin.describeAcls({
      resourceType: AclResourceTypes.ANY,
      resourcePatternType: ResourcePatternTypes.ANY,
      operation: AclOperationTypes.ANY,
      permissionType: AclPermissionTypes.ANY,
    });
    const present: AclEntry[] = described.resources.flatMap((r) =>
      r.acls.map((acl) => ({
        resourceType: r.resourceType,
        resourceName: r.resourceName,
        resourcePatternType: r.resourcePatternType,
        ...acl,
      })),
    );
    const presentKeys = new Set(present.map(bindingKey));
    const wantedKeys = new Set(wanted.map(bindingKey));
    const missing = wanted.filter((e) => !presentKeys.has(bindingKey(e)));
    const stale = present.filter((e) => !wantedKeys.has(bindingKey(e)));
    if (stale.length > 0) await admin.deleteAcls({ filters: stale });
    if (missing.length > 0) await admin.createAcls({ acl: missing });
    return { created: missing.length, deleted: stale.length, total: wanted.length };
  } finally {
    await admin.disconnect();
  }
}
