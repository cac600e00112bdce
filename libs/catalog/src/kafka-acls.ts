// Who may do what on Kafka, derived from the catalog: every Kafka client authenticates (SASL/SCRAM-SHA-512) as one
// principal and the broker's StandardAuthorizer allows only what is listed here (allow.everyone.if.no.acl.found is
// false). The local stack, compose's init job and Strimzi's KafkaUser resources all apply this one list.
//
//   service <name>  READ the topics it consumes, in its consumer group (the service name, see the framework's
//                   data plane); WRITE the dead-letter twins of those topics (`<topic>.dlq`). Nothing else: it cannot
//                   read another service's topics, and it cannot write an event topic (only Debezium can).
//   debezium        the Kafka Connect worker and its Debezium connector: WRITE `events.*` (prefix), Connect's own
//                   internal topics and group, and Debezium's heartbeat topic.
//   blog-tools      the ops CLI, the console and the e2e suite: READ every event and dead-letter topic in groups of
//                   its own prefixes, DESCRIBE the services' groups (lag, committed offsets), WRITE the event topics
//                   (a DLQ redrive republishes a letter to its original topic; the e2e suite replays duplicates) and
//                   recreate the dead-letter topics (a DLQ purge). An operator's credential, never a service's.
//   admin           the super user (super.users): the broker itself and the stack bootstrap only; no ACLs.
import { TOOLS_IDENTITY } from './access';
import type { ServiceEntry } from './entry';

/** KAFKA_ADMIN_USER is the super user: the broker's own and the bootstrap's principal (no ACLs, all rights). */
export const KAFKA_ADMIN_USER = 'admin';
/** DEBEZIUM_KAFKA_USER is Kafka Connect's principal (worker, Debezium's producer, admin and consumers). */
export const DEBEZIUM_KAFKA_USER = 'debezium';
/** TOOLS_KAFKA_USER is the operators' principal: the `blog` CLI, the ops console and the e2e suite (their mTLS identity). */
export const TOOLS_KAFKA_USER = TOOLS_IDENTITY;

/** EVENT_TOPIC_PREFIX starts every event topic (`events.<aggregatetype>`) and every dead-letter topic. */
export const EVENT_TOPIC_PREFIX = 'events.';
/** dlqTopicOf is a topic's dead-letter twin (the framework's dead-letter.ts writes there; @blog/proto agrees). */
export const dlqTopicOf = (topic: string): string => `${topic}.dlq`;

/** CONNECT_GROUP and CONNECT_TOPIC_PREFIX: the Connect worker group and its internal topics (_connect-configs...). */
export const CONNECT_GROUP = 'blog-connect';
export const CONNECT_TOPIC_PREFIX = '_connect-';
/** DEBEZIUM_HEARTBEAT_TOPIC_PREFIX: Debezium's heartbeat topic (`__debezium-heartbeat.<topic.prefix>`), made by Connect. */
export const DEBEZIUM_HEARTBEAT_TOPIC_PREFIX = '__debezium-heartbeat';

/**
 * TOOLS_GROUP_PREFIXES are the consumer groups the tools may use: the ops event log (`blog-ops-...`, libs/ops) and
 * the e2e suite (`e2e-...`). Their groups are throwaway readers, never a service's group.
 */
export const TOOLS_GROUP_PREFIXES: readonly string[] = ['blog-ops', 'e2e-'];

/** KafkaResourceType is what an ACL is about. */
export type KafkaResourceType = 'topic' | 'group' | 'cluster';

/** KafkaPatternType: `literal` matches the name exactly, `prefixed` every name that starts with it. */
export type KafkaPatternType = 'literal' | 'prefixed';

/** KafkaOperation is an operation an ACL allows (Kafka's AclOperation, lower-case with dashes). */
export type KafkaOperation = 'read' | 'write' | 'create' | 'delete' | 'describe' | 'describe-configs';

/** KafkaAcl allows one principal some operations on one resource (from any host). */
export interface KafkaAcl {
  /** user is the SCRAM user name; the principal is `User:<user>`. */
  readonly user: string;
  readonly resource: {
    readonly type: KafkaResourceType;
    readonly name: string;
    readonly pattern: KafkaPatternType;
  };
  readonly operations: readonly KafkaOperation[];
}

/** kafkaUsers are every principal that gets ACLs: each service, Debezium and the tools (admin has none). */
export function kafkaUsers(entries: readonly ServiceEntry[]): string[] {
  return [...entries.map((s) => s.name), DEBEZIUM_KAFKA_USER, TOOLS_KAFKA_USER];
}

/** kafkaUserOf is a service's Kafka principal: its name (services have one principal each, shared by replicas). */
export const kafkaUserOf = (service: string): string => service;

/** consumerGroupOf is a service's consumer group: its name (the data plane's consumer() default). */
export const consumerGroupOf = (service: string): string => service;

const topic = (name: string, pattern: KafkaPatternType = 'literal') =>
  ({ type: 'topic', name, pattern }) as const;
const group = (name: string, pattern: KafkaPatternType = 'literal') =>
  ({ type: 'group', name, pattern }) as const;

/** serviceKafkaAcls are one service's ACLs: read what it consumes in its group, write those topics' DLQs. */
export function serviceKafkaAcls(entry: ServiceEntry): KafkaAcl[] {
  const user = kafkaUserOf(entry.name);
  if (entry.consumes.length === 0) return [];
  return [
    ...entry.consumes.map((t) => ({ user, resource: topic(t), operations: ['read', 'describe'] as const })),
    { user, resource: group(consumerGroupOf(entry.name)), operations: ['read', 'describe'] },
    ...entry.consumes.map((t) => ({
      user,
      resource: topic(dlqTopicOf(t)),
      operations: ['write', 'describe'] as const,
    })),
  ];
}

/** debeziumKafkaAcls are Kafka Connect's: write the event topics, run its worker group on its own topics. */
export function debeziumKafkaAcls(): KafkaAcl[] {
  const user = DEBEZIUM_KAFKA_USER;
  return [
    // Topics are created up front (no create here: an unknown aggregatetype must fail, not make a topic).
    { user, resource: topic(EVENT_TOPIC_PREFIX, 'prefixed'), operations: ['write', 'describe'] },
    {
      user,
      resource: topic(CONNECT_TOPIC_PREFIX, 'prefixed'),
      operations: ['read', 'write', 'create', 'describe', 'describe-configs'],
    },
    { user, resource: group(CONNECT_GROUP), operations: ['read', 'describe'] },
    {
      user,
      resource: topic(DEBEZIUM_HEARTBEAT_TOPIC_PREFIX, 'prefixed'),
      operations: ['write', 'create', 'describe'],
    },
  ];
}

/** toolsKafkaAcls are the operators': read everything of the event log, redrive and purge dead letters. */
export function toolsKafkaAcls(entries: readonly ServiceEntry[]): KafkaAcl[] {
  const user = TOOLS_KAFKA_USER;
  const eventTopics = [...new Set(entries.flatMap((s) => s.consumes))].sort();
  return [
    { user, resource: topic(EVENT_TOPIC_PREFIX, 'prefixed'), operations: ['read', 'describe'] },
    // A redrive republishes a dead letter to its original topic; the e2e suite replays records as duplicates.
    ...eventTopics.map((t) => ({ user, resource: topic(t), operations: ['write'] as const })),
    // A purge deletes a dead-letter topic and creates it again.
    ...eventTopics.map((t) => ({
      user,
      resource: topic(dlqTopicOf(t)),
      operations: ['delete', 'create'] as const,
    })),
    ...TOOLS_GROUP_PREFIXES.map((prefix) => ({
      user,
      resource: group(prefix, 'prefixed'),
      operations: ['read', 'describe'] as const,
    })),
    // Lag and committed offsets of the services' groups: describe only, never read (that would move them).
    ...entries.map((s) => ({
      user,
      resource: group(consumerGroupOf(s.name)),
      operations: ['describe'] as const,
    })),
  ];
}

/** kafkaAcls is the whole ACL list of the cluster, derived from the catalog's services. */
export function kafkaAcls(entries: readonly ServiceEntry[]): KafkaAcl[] {
  return [...entries.flatMap(serviceKafkaAcls), ...debeziumKafkaAcls(), ...toolsKafkaAcls(entries)];
}

/** kafkaAclsOf keeps one principal's ACLs (a Strimzi KafkaUser holds its own). */
export const kafkaAclsOf = (acls: readonly KafkaAcl[], user: string): KafkaAcl[] =>
  acls.filter((acl) => acl.user === user);
