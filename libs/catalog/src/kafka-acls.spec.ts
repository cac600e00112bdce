import { dlqTopicFor, EventTopics } from '@blog/proto';
import { describe, expect, it } from 'vitest';
import { defineService } from './entry';
import {
  CONNECT_GROUP,
  DEBEZIUM_KAFKA_USER,
  dlqTopicOf,
  KAFKA_ADMIN_USER,
  kafkaAcls,
  kafkaAclsOf,
  kafkaUsers,
  TOOLS_GROUP_PREFIXES,
  TOOLS_KAFKA_USER,
  type KafkaAcl,
  type KafkaOperation,
  type KafkaResourceType,
} from './kafka-acls';
import { services } from './index';

/** allowed decides like Kafka's authorizer: a matching ACL for the operation (read and write imply describe). */
function allowed(
  acls: readonly KafkaAcl[],
  user: string,
  operation: KafkaOperation,
  type: KafkaResourceType,
  name: string,
): boolean {
  return acls.some(
    (acl) =>
      acl.user === user &&
      acl.resource.type === type &&
      (acl.resource.pattern === 'literal'
        ? acl.resource.name === name
        : name.startsWith(acl.resource.name)) &&
      (acl.operations.includes(operation) ||
        (operation === 'describe' && acl.operations.some((op) => op === 'read' || op === 'write'))),
  );
}

const acls = kafkaAcls(services);
const dlqs = EventTopics.map(dlqTopicFor);

describe('kafkaAcls', () => {
  it('lets each service read exactly the topics it consumes, in its own group', () => {
    for (const s of services) {
      for (const topic of EventTopics) {
        expect(allowed(acls, s.name, 'read', 'topic', topic), `${s.name} reads ${topic}`).toBe(
          s.consumes.includes(topic),
        );
      }
      for (const dlq of dlqs) expect(allowed(acls, s.name, 'read', 'topic', dlq)).toBe(false);
      for (const other of services) {
        expect(allowed(acls, s.name, 'read', 'group', other.name)).toBe(other.name === s.name);
      }
      expect(allowed(acls, s.name, 'read', 'group', CONNECT_GROUP)).toBe(false);
    }
  });

  it('lets a service write only the dead-letter topics of what it consumes', () => {
    for (const s of services) {
      for (const topic of EventTopics) {
        expect(allowed(acls, s.name, 'write', 'topic', topic), `${s.name} writes ${topic}`).toBe(false);
        expect(allowed(acls, s.name, 'write', 'topic', dlqTopicFor(topic))).toBe(s.consumes.includes(topic));
      }
      for (const op of ['create', 'delete'] as const) {
        for (const topic of [...EventTopics, ...dlqs])
          expect(allowed(acls, s.name, op, 'topic', topic)).toBe(false);
      }
    }
  });

  it('lets Debezium write every event topic, and nobody else but the tools (literal topics, for redrives)', () => {
    for (const topic of EventTopics)
      expect(allowed(acls, DEBEZIUM_KAFKA_USER, 'write', 'topic', topic)).toBe(true);
    expect(allowed(acls, DEBEZIUM_KAFKA_USER, 'write', 'topic', 'events.new.aggregate')).toBe(true);
    expect(allowed(acls, DEBEZIUM_KAFKA_USER, 'create', 'topic', 'events.new.aggregate')).toBe(false);
    expect(allowed(acls, DEBEZIUM_KAFKA_USER, 'read', 'topic', EventTopics[0] ?? '')).toBe(false);
    expect(allowed(acls, DEBEZIUM_KAFKA_USER, 'read', 'group', CONNECT_GROUP)).toBe(true);
    expect(allowed(acls, DEBEZIUM_KAFKA_USER, 'write', 'topic', '_connect-offsets')).toBe(true);
    const writers = acls.filter(
      (acl) =>
        acl.resource.type === 'topic' &&
        acl.operations.includes('write') &&
        EventTopics.some((t) =>
          acl.resource.pattern === 'literal' ? acl.resource.name === t : t.startsWith(acl.resource.name),
        ),
    );
    expect([...new Set(writers.map((acl) => acl.user))].sort()).toEqual(
      [TOOLS_KAFKA_USER, DEBEZIUM_KAFKA_USER].sort(),
    );
    expect(
      writers
        .filter((acl) => acl.user === TOOLS_KAFKA_USER)
        .every((acl) => acl.resource.pattern === 'literal'),
    ).toBe(true);
  });

  it('gives the tools reads of every event and dead-letter topic, describe-only on the services groups, purge of DLQs', () => {
    for (const topic of [...EventTopics, ...dlqs])
      expect(allowed(acls, TOOLS_KAFKA_USER, 'read', 'topic', topic)).toBe(true);
    for (const s of services) {
      expect(allowed(acls, TOOLS_KAFKA_USER, 'describe', 'group', s.name)).toBe(true);
      expect(allowed(acls, TOOLS_KAFKA_USER, 'read', 'group', s.name)).toBe(false);
      // A tools prefix must not reach a service's group.
      for (const prefix of TOOLS_GROUP_PREFIXES) expect(s.name.startsWith(prefix)).toBe(false);
    }
    expect(allowed(acls, TOOLS_KAFKA_USER, 'read', 'group', 'blog-ops-1234-read-ab')).toBe(true);
    expect(allowed(acls, TOOLS_KAFKA_USER, 'read', 'group', 'e2e-read-1')).toBe(true);
    for (const dlq of dlqs) {
      expect(allowed(acls, TOOLS_KAFKA_USER, 'delete', 'topic', dlq)).toBe(true);
      expect(allowed(acls, TOOLS_KAFKA_USER, 'create', 'topic', dlq)).toBe(true);
    }
    for (const topic of EventTopics)
      expect(allowed(acls, TOOLS_KAFKA_USER, 'delete', 'topic', topic)).toBe(false);
  });

  it('lists every principal but the super user, each with ACLs', () => {
    const users = kafkaUsers(services);
    expect(users).toEqual([...services.map((s) => s.name), DEBEZIUM_KAFKA_USER, TOOLS_KAFKA_USER]);
    expect(users).not.toContain(KAFKA_ADMIN_USER);
    expect([...new Set(acls.map((acl) => acl.user))].sort()).toEqual([...users].sort());
    expect(kafkaAclsOf(acls, 'post').every((acl) => acl.user === 'post')).toBe(true);
  });

  it('follows the catalog: a new consumer reads its new topic and writes its DLQ', () => {
    const extra = defineService({
      name: 'search',
      summary: 'Search.',
      schema: 'search',
      grpcPort: 7060,
      adminPort: 9110,
      consumes: ['events.post.post'],
      callers: [],
    });
    const more = kafkaAcls([...services, extra]);
    expect(allowed(more, 'search', 'read', 'topic', 'events.post.post')).toBe(true);
    expect(allowed(more, 'search', 'write', 'topic', 'events.post.post.dlq')).toBe(true);
    expect(allowed(more, 'search', 'read', 'topic', 'events.auth.account')).toBe(false);
  });

  it('names dead-letter topics as the event contract does', () => {
    for (const topic of EventTopics) expect(dlqTopicOf(topic)).toBe(dlqTopicFor(topic));
  });
});
