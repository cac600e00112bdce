// The one place @blog/ops talks to kafkajs directly (eslint allows this folder): per-partition low and high
// watermarks, which the framework's KafkaAdmin does not expose (it sums them). A scan needs them to know when it has
// read everything that was there when it began, partition by partition; the console needs them for consumer lag.
// Keep it this small: when the framework's Kafka client changes, this file is the seam to port.
import { kafkajsSasl, type KafkaSasl } from '@blog/framework';
import { Kafka, logLevel } from 'kafkajs';

/** PartitionOffsets are one partition's watermarks: records live in [low, high). */
export interface PartitionOffsets {
  partition: number;
  low: string;
  high: string;
}

/** TopicOffsets reads watermarks. */
export interface TopicOffsets {
  watermarks(topic: string): Promise<PartitionOffsets[]>;
  close(): Promise<void>;
}

/** connectTopicOffsets opens an admin client on the brokers. */
export async function connectTopicOffsets(
  brokers: readonly string[],
  clientId: string,
  sasl?: KafkaSasl,
): Promise<TopicOffsets> {
  const admin = new Kafka({
    clientId,
    brokers: [...brokers],
    sasl: kafkajsSasl(sasl),
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  return {
    async watermarks(topic) {
      const offsets = await admin.fetchTopicOffsets(topic);
      return offsets.map((p) => ({ partition: p.partition, low: p.low, high: p.high }));
    },
    close: () => admin.disconnect(),
  };
}
