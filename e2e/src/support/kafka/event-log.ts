// The suite's window on Kafka, through the framework's Broker (only libs/framework/src/broker/kafka talks to
// kafkajs): read back the records already on the event topics, produce them again byte for byte (same key,
// value and headers, hence the same event id), and wait until the services' consumer groups are past them.
import { randomUUID } from 'node:crypto';
import {
  createKafkaAdmin,
  createKafkaBroker,
  createLogger,
  type Broker,
  type BrokerMessage,
  type GroupMember,
  type KafkaAdmin,
  type KafkaSasl,
} from '@blog/framework';
import { eventually } from '../eventually';

/** serviceGroups are the consumer groups of the six services (a service's group is its name). */
export const serviceGroups = ['auth', 'user', 'blog', 'post', 'visitor', 'subscribe'] as const;

/** RecordPosition locates one record. */
export interface RecordPosition {
  topic: string;
  partition: number;
  offset: string;
}

/** EventLog reads and re-produces event records. */
export class EventLog {
  private constructor(
    private readonly broker: Broker,
    private readonly admin: KafkaAdmin,
  ) {}

  /** connect starts a producer and an admin client on the brokers. */
  static async connect(brokers: readonly string[], sasl?: KafkaSasl): Promise<EventLog> {
    quietKafkajsTimerWarning();
    const logger = createLogger({ service: 'e2e', version: '0', level: 'warn' });
    const broker = createKafkaBroker({ brokers, clientId: `e2e-${randomUUID()}`, logger, sasl });
    await broker.start();
    const admin = await createKafkaAdmin({ brokers, clientId: `e2e-admin-${randomUUID()}`, logger, sasl });
    return new EventLog(broker, admin);
  }

  /** readAll returns every record of the topics, read from the beginning in a consumer group of its own. */
  async readAll(topics: readonly string[], timeoutMs = 60_000): Promise<BrokerMessage[]> {
    const records: BrokerMessage[] = [];
    const subscription = await this.broker.subscribe({
      topics,
      groupId: `e2e-read-${randomUUID()}`,
      fromBeginning: true,
      handler: async (message) => void records.push(message),
    });
    try {
      await eventually(
        async () => {
          const expected = (await Promise.all(topics.map((t) => this.admin.recordCount(t)))).reduce(
            (a, b) => a + b,
            0,
          );
          if (records.length < expected) throw new Error(`read ${records.length} of ${expected} records`);
        },
        { timeoutMs, intervalMs: 250, what: `reading ${topics.join(', ')}` },
      );
    } finally {
      await subscription.stop();
    }
    return records;
  }

  /** reproduce publishes the records again onto their own topics, with the same key, value and headers. */
  async reproduce(records: readonly BrokerMessage[]): Promise<void> {
    for (const record of records) {
      await this.broker.publish(record.topic, [
        { key: record.key, value: record.value, headers: record.headers },
      ]);
    }
  }

  /**
   * waitConsumed waits until every service group that consumes a record's topic has committed past the
   * record, i.e. its handler has finished with it.
   */
  async waitConsumed(positions: readonly RecordPosition[], timeoutMs = 60_000): Promise<void> {
    const topics = [...new Set(positions.map((p) => p.topic))];
    await eventually(
      async () => {
        for (const topic of topics) {
          for (const group of serviceGroups) {
            const committed = await this.admin.committedOffsets(group, topic);
            if (![...committed.values()].some((offset) => Number(offset) >= 0)) continue; // not a consumer of it
            for (const p of positions.filter((x) => x.topic === topic)) {
              const next = BigInt(committed.get(p.partition) ?? '-1');
              if (next <= BigInt(p.offset))
                throw new Error(`${group} has not consumed ${topic}[${p.partition}]@${p.offset}`);
            }
          }
        }
      },
      { timeoutMs, intervalMs: 250, what: 'the services consuming the re-produced records' },
    );
  }

  /** groupMembers lists a consumer group's members with their partition counts. */
  groupMembers(groupId: string): Promise<GroupMember[]> {
    return this.admin.groupMembers(groupId);
  }

  /** close stops the producer and the admin client. */
  async close(): Promise<void> {
    await this.broker.stop();
    await this.admin.close();
  }
}

/**
 * quietKafkajsTimerWarning drops the TimeoutNegativeWarning kafkajs 2.2.4 triggers on Node 24 (a harmless negative
 * setTimeout, tulios/kafkajs#1751), as tools/stack/kafka/admin.ts does; every other warning still prints.
 */
function quietKafkajsTimerWarning(): void {
  const printers = process.listeners('warning');
  if (printers.some((listener) => listener.name === 'skipKafkajsTimerWarning')) return;
  process.removeAllListeners('warning');
  process.on('warning', function skipKafkajsTimerWarning(warning) {
    if (warning.name === 'TimeoutNegativeWarning') return;
    for (const print of printers) print(warning);
  });
}
