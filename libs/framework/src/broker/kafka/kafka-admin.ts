// Topic administration for tooling and integration tests (services rely on topics created up front by the stack).
import { AssignerProtocol, Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { nonBlockingSocketFactory } from './dns-lookup';
import { kafkaLogLevel, pinoLogCreator } from './kafka-logger';
import { kafkajsSasl, type KafkaSasl } from './sasl';

/** TopicSpec names a topic to create and its partition count. */
export interface TopicSpec {
  topic: string;
  partitions: number;
}

/** KafkaAdmin creates and deletes topics and reads a consumer group's committed offsets. */
export interface KafkaAdmin {
  /** createTopics creates the missing topics (replication factor 1: the local stack is one node) and waits for their leaders. */
  createTopics(topics: readonly TopicSpec[]): Promise<void>;
  /** deleteTopics deletes topics, ignoring those that do not exist. */
  deleteTopics(topics: readonly string[]): Promise<void>;
  /** committedOffsets returns a group's committed offset (next to read) per partition of a topic; -1 when none. */
  committedOffsets(groupId: string, topic: string): Promise<Map<number, string>>;
  /** recordCount returns how many records a topic holds (the sum of its partitions' high watermarks minus their low ones). */
  recordCount(topic: string): Promise<number>;
  /** groupMembers lists the members of a consumer group with how many partitions each holds (tools, tests). */
  groupMembers(groupId: string): Promise<GroupMember[]>;
  close(): Promise<void>;
}

/** GroupMember is one member of a consumer group and its share of the partitions. */
export interface GroupMember {
  memberId: string;
  clientHost: string;
  /** partitions is how many partitions the member holds, over every topic of the group. */
  partitions: number;
}

/** createKafkaAdmin connects an admin client. */
export async function createKafkaAdmin(options: {
  brokers: readonly string[];
  clientId: string;
  logger: Logger;
  /** sasl: the principal to sign in as (see KafkaBrokerOptions.sasl). */
  sasl?: KafkaSasl;
}): Promise<KafkaAdmin> {
  const logger = options.logger.child({ component: 'kafka-admin' });
  const kafka = new Kafka({
    clientId: options.clientId,
    brokers: [...options.brokers],
    sasl: kafkajsSasl(options.sasl),
    socketFactory: nonBlockingSocketFactory(),
    logLevel: kafkaLogLevel(logger.level),
    logCreator: pinoLogCreator(logger),
  });
  const admin = kafka.admin();
  await admin.connect();
  return {
    async createTopics(topics) {
      const existing = new Set(await admin.listTopics());
      const missing = topics.filter((t) => !existing.has(t.topic));
      if (missing.length === 0) return;
      await admin.createTopics({
        waitForLeaders: false,
        topics: missing.map((t) => ({ topic: t.topic, numPartitions: t.partitions, replicationFactor: 1 })),
      });
      // kafkajs's own wait (waitForLeaders) retries only LEADER_NOT_AVAILABLE, while Kafka 4 answers
      // UNKNOWN_TOPIC_OR_PARTITION until the new topic's metadata has reached the broker: wait here instead.
      const deadline = Date.now() + 30_000;
      for (;;) {
        try {
          const { topics: described } = await admin.fetchTopicMetadata({
            topics: missing.map((t) => t.topic),
          });
          if (described.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0)))
            return;
        } catch (error) {
          if (Date.now() > deadline) throw error;
        }
        if (Date.now() > deadline)
          throw new Error(`topics without leaders after 30 s: ${missing.map((t) => t.topic).join(', ')}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async deleteTopics(topics) {
      const existing = new Set(await admin.listTopics());
      const present = topics.filter((t) => existing.has(t));
      if (present.length > 0) await admin.deleteTopics({ topics: present });
    },
    async committedOffsets(groupId, topic) {
      const [result] = await admin.fetchOffsets({ groupId, topics: [topic] });
      return new Map((result?.partitions ?? []).map((p) => [p.partition, p.offset]));
    },
    async recordCount(topic) {
      const offsets = await admin.fetchTopicOffsets(topic);
      return offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
    },
    async groupMembers(groupId) {
      const { groups } = await admin.describeGroups([groupId]);
      return (groups[0]?.members ?? []).map((member) => {
        const decoded = AssignerProtocol.MemberAssignment.decode(member.memberAssignment);
        const partitions = Object.values(decoded?.assignment ?? {}).reduce(
          (sum, list) => sum + list.length,
          0,
        );
        return { memberId: member.memberId, clientHost: member.clientHost, partitions };
      });
    },
    close: () => admin.disconnect(),
  };
}
