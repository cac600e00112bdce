// The event topics, created up front: `events.<aggregatetype>` with 3 partitions, and a `.dlq` twin each.
// The list comes from @blog/proto (topics.ts), never from a copy here.
import type { KafkaSasl } from '@blog/framework';
import { dlqTopicFor, EventTopics } from '@blog/proto';
import { StackError } from '../errors';
import { connectAdmin } from './admin';

/** eventPartitions is the partition count of every event topic and DLQ (ordering is per aggregate key). */
export const eventPartitions = 3;

/** eventTopicNames returns every event topic and its DLQ, from the proto contract. */
export function eventTopicNames(): string[] {
  return [...EventTopics, ...EventTopics.map(dlqTopicFor)];
}

/** ensureTopics creates the missing topics (existing ones are left as they are); returns the created names. */
export async function ensureTopics(
  brokers: string[],
  sasl: KafkaSasl,
  topics: string[],
  timeoutMs = 30_000,
): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const admin = await connectAdmin(brokers, sasl);
    try {
      const existing = new Set(await admin.listTopics());
      const missing = topics.filter((topic) => !existing.has(topic));
      if (missing.length > 0) {
        await admin.createTopics({
          waitForLeaders: true,
          topics: missing.map((topic) => ({ topic, numPartitions: eventPartitions, replicationFactor: 1 })),
        });
      }
      return missing;
    } catch (error) {
      // Right after start-up the broker may still be fenced and refuse topic creation for a moment.
      if (Date.now() > deadline)
        throw new StackError(`creating Kafka topics failed: ${(error as Error).message}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    } finally {
      await admin.disconnect();
    }
  }
}
