// One-shot job of docker-compose.yml (in the workspace image): creates every topic in $TOPICS with $PARTITIONS
// partitions and $REPLICATION_FACTOR replicas, in one Kafka admin request (existing topics are kept), then lists
// them. One Node.js process instead of a JVM per topic: seconds, not minutes, on a small host.
import kafkajs from 'kafkajs';

const { Kafka, logLevel } = kafkajs;
const topics = (process.env.TOPICS ?? '').split(/\s+/).filter(Boolean);
const numPartitions = Number(process.env.PARTITIONS ?? 3);
const replicationFactor = Number(process.env.REPLICATION_FACTOR ?? 1);
const brokers = (process.env.BOOTSTRAP_SERVERS ?? 'kafka:29092').split(',');
if (topics.length === 0) {
  console.error('create-topics: TOPICS is empty');
  process.exit(1);
}

// The super user's credentials (KAFKA_USERNAME / KAFKA_PASSWORD): the broker allows nobody else to create topics.
const sasl = process.env.KAFKA_USERNAME
  ? {
      mechanism: 'scram-sha-512',
      username: process.env.KAFKA_USERNAME,
      password: process.env.KAFKA_PASSWORD ?? '',
    }
  : undefined;
const admin = new Kafka({ clientId: 'blog-create-topics', brokers, sasl, logLevel: logLevel.WARN }).admin();
const deadline = Date.now() + 60_000;
for (;;) {
  try {
    await admin.connect();
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((topic) => !existing.has(topic));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({ topic, numPartitions, replicationFactor })),
      });
    }
    for (const topic of missing) console.log(`Created topic ${topic}.`);
    console.log((await admin.listTopics()).sort().join('\n'));
    break;
  } catch (error) {
    // Right after start-up the broker may still refuse topic creation for a moment.
    if (Date.now() > deadline) {
      console.error(`create-topics: ${error.message}`);
      process.exit(1);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  } finally {
    await admin.disconnect();
  }
}
