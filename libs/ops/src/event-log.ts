// The operations' window on Kafka, through the framework's Broker and KafkaAdmin only (a seam: when the Kafka client
// underneath changes, nothing here does). Reading a topic means joining a consumer group of our own from the
// beginning and stopping at the record count the admin reported; tails start at the end.
import { randomUUID } from 'node:crypto';
import { createConnection } from 'node:net';
import {
  createKafkaAdmin,
  createKafkaBroker,
  createLogger,
  type Broker,
  type BrokerMessage,
  type KafkaAdmin,
  type KafkaSasl,
  type OutgoingMessage,
} from '@blog/framework';
import { unavailable, unreachable } from './errors';
import { connectTopicOffsets, type PartitionOffsets, type TopicOffsets } from './kafka/offsets';

/** Progress reports a long scan: records read so far of the expected total. */
export type Progress = (read: number, total: number) => void;

/** EventLog reads, tails and publishes records, and reads consumer offsets. */
export interface EventLog {
  /** readAll returns every record of the topics that exist (missing topics are skipped). */
  readAll(topics: readonly string[], progress?: Progress): Promise<BrokerMessage[]>;
  /** tail calls `onRecord` for each new record until the returned stop is called. */
  tail(topics: readonly string[], onRecord: (record: BrokerMessage) => void): Promise<() => Promise<void>>;
  publish(topic: string, messages: readonly OutgoingMessage[]): Promise<void>;
  /** committedOffsets of a group on a topic, per partition (-1: nothing committed). */
  committedOffsets(groupId: string, topic: string): Promise<Map<number, string>>;
  /** recordCount is how many records a topic holds. */
  recordCount(topic: string): Promise<number>;
  /** watermarks per partition of a topic. */
  watermarks(topic: string): Promise<PartitionOffsets[]>;
  /** recreate empties topics by deleting and creating them again with as many partitions. */
  recreate(topics: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

const READ_TIMEOUT_MS = 60_000;

/** connectEventLog connects to the brokers, failing in one line (and within seconds) when Kafka is down. */
export async function connectEventLog(
  brokers: readonly string[],
  sasl?: KafkaSasl,
  clientId = 'blog-ops',
): Promise<EventLog> {
  await probe(brokers);
  quietKafkajsTimerWarning();
  const logger = createLogger({ service: clientId, version: '0', level: 'error' });
  const id = `${clientId}-${randomUUID().slice(0, 8)}`;
  let broker: Broker | undefined;
  let admin: KafkaAdmin | undefined;
  let offsets: TopicOffsets | undefined;
  try {
    broker = createKafkaBroker({ brokers: [...brokers], clientId: id, logger, sasl });
    await broker.start();
    admin = await createKafkaAdmin({ brokers, clientId: `${id}-admin`, logger, sasl });
    offsets = await connectTopicOffsets(brokers, `${id}-offsets`, sasl);
  } catch (error) {
    await broker?.stop().catch(() => undefined);
    await admin?.close().catch(() => undefined);
    throw unreachable(`Kafka (${brokers.join(',')})`, error);
  }
  return new FrameworkEventLog(broker, admin, offsets, id);
}

class FrameworkEventLog implements EventLog {
  constructor(
    private readonly broker: Broker,
    private readonly admin: KafkaAdmin,
    private readonly offsets: TopicOffsets,
    private readonly id: string,
  ) {}

  async readAll(topics: readonly string[], progress?: Progress): Promise<BrokerMessage[]> {
    // What was there when the scan began, per partition: the scan ends once each partition is read up to it
    // (records arriving meanwhile are kept too, but not waited for).
    const missing = new Map<string, bigint>();
    const present: string[] = [];
    let total = 0;
    for (const topic of topics) {
      const marks = await this.offsets.watermarks(topic).catch(() => undefined); // a topic that does not exist
      for (const p of marks ?? []) {
        if (BigInt(p.high) <= BigInt(p.low)) continue;
        missing.set(`${topic}:${p.partition}`, BigInt(p.high) - 1n);
        total += Number(BigInt(p.high) - BigInt(p.low));
        if (!present.includes(topic)) present.push(topic);
      }
    }
    if (missing.size === 0) return [];
    const records: BrokerMessage[] = [];
    let done: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => (done = resolve));
    const subscription = await this.broker.subscribe({
      topics: present,
      groupId: `${this.id}-read-${randomUUID().slice(0, 8)}`,
      fromBeginning: true,
      handler: async (message) => {
        records.push(message);
        if (records.length % 1000 === 0) progress?.(records.length, total);
        const key = `${message.topic}:${message.partition}`;
        const last = missing.get(key);
        if (last !== undefined && BigInt(message.offset) >= last) missing.delete(key);
        if (missing.size === 0) done();
      },
    });
    const timer = setTimeout(done, READ_TIMEOUT_MS);
    try {
      await finished;
    } finally {
      clearTimeout(timer);
      await subscription.stop();
    }
    if (missing.size > 0) throw unavailable(`read ${records.length} of ${total} records within 60 s`);
    progress?.(records.length, total);
    return records;
  }

  async tail(topics: readonly string[], onRecord: (record: BrokerMessage) => void) {
    const subscription = await this.broker.subscribe({
      topics,
      groupId: `${this.id}-tail-${randomUUID().slice(0, 8)}`,
      fromBeginning: false,
      handler: async (message) => onRecord(message),
    });
    return () => subscription.stop();
  }

  publish(topic: string, messages: readonly OutgoingMessage[]) {
    return this.broker.publish(topic, messages);
  }

  committedOffsets(groupId: string, topic: string) {
    return this.admin.committedOffsets(groupId, topic);
  }

  recordCount(topic: string) {
    return this.admin.recordCount(topic);
  }

  watermarks(topic: string) {
    return this.offsets.watermarks(topic);
  }

  async recreate(topics: readonly string[]) {
    const specs = [];
    for (const topic of topics) {
      const partitions = (await this.admin.committedOffsets(`${this.id}-probe`, topic)).size;
      if (partitions > 0) specs.push({ topic, partitions });
    }
    await this.admin.deleteTopics(specs.map((s) => s.topic));
    // Kafka deletes asynchronously: creation is retried until the old topic is gone.
    for (let attempt = 0; ; attempt++) {
      try {
        await this.admin.createTopics(specs);
        return;
      } catch (error) {
        if (attempt >= 40) throw error;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  }

  async close() {
    await this.broker.stop();
    await this.admin.close();
    await this.offsets.close();
  }
}

/** probe opens a TCP connection to the first broker, so a stopped Kafka is one line after 2 s, not a retry storm. */
async function probe(brokers: readonly string[]): Promise<void> {
  const [first = ''] = brokers;
  const at = first.lastIndexOf(':');
  const host = first.slice(0, at);
  const port = Number(first.slice(at + 1));
  await new Promise<void>((resolve, reject) => {
    const socket = createConnection({ host, port, timeout: 2_000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve();
    });
    socket.once('timeout', () => {
      socket.destroy();
      reject(unavailable(`Kafka (${first}) does not answer: is the stack up? (npm run stack:up)`));
    });
    socket.once('error', (error) =>
      reject(
        unavailable(
          `Kafka (${first}) is not reachable (${error.message}): is the stack up? (npm run stack:up)`,
        ),
      ),
    );
  });
}

/** quietKafkajsTimerWarning drops the harmless TimeoutNegativeWarning kafkajs 2.2.4 triggers on Node 24. */
function quietKafkajsTimerWarning(): void {
  const printers = process.listeners('warning');
  if (printers.some((listener) => listener.name === 'skipKafkajsTimerWarning')) return;
  process.removeAllListeners('warning');
  process.on('warning', function skipKafkajsTimerWarning(warning) {
    if (warning.name === 'TimeoutNegativeWarning') return;
    for (const print of printers) print(warning);
  });
}
