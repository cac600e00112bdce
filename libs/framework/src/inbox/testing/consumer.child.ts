// A consumer process for the crash test: runs an InboxConsumer over the scenario's topic and, when KILL_AFTER_ID is
// set, SIGKILLs itself right after the record with that id was committed to the database and before the broker
// commits its offset. Logs (pino JSON, debug) go to stdout for the test to read.
// Env: DATABASE_URL, KAFKA_BROKERS, KAFKA_USERNAME/KAFKA_PASSWORD (optional), TOPIC, CONSUMER, ITEMS_TABLE, KILL_AFTER_ID and KAFKA_CLIENT (optional).
import pino from 'pino';
import {
  createKafkaBroker,
  DEFAULT_KAFKA_CLIENT,
  isKafkaClient,
  kafkaSaslFromEnv,
  type Broker,
  type BrokerMessage,
} from '../../broker';
import { createStore } from '../../store';
import { createInboxConsumer } from '../consumer';
import { ITEM_ADDED, itemAdded, recordItem } from './items';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

async function main(): Promise<void> {
  const logger = pino({ level: 'debug' });
  const store = createStore({ connectionString: env('DATABASE_URL'), schema: 'visitor', logger, max: 2 });
  // A short session lets the restarted process take the partitions over quickly from the killed one.
  const client = process.env.KAFKA_CLIENT || DEFAULT_KAFKA_CLIENT;
  if (!isKafkaClient(client)) throw new Error(`KAFKA_CLIENT: unknown Kafka client "${client}"`);
  const broker = createKafkaBroker({
    client,
    brokers: env('KAFKA_BROKERS').split(','),
    sasl: kafkaSaslFromEnv(),
    clientId: env('CONSUMER'),
    logger: logger.child({}, { level: 'info' }), // kafkajs's debug logs would drown the inbox's
    sessionTimeoutMs: 6_000,
    heartbeatIntervalMs: 1_000,
  });
  const killAfterId = process.env.KILL_AFTER_ID;
  const dying: Broker = {
    start: () => broker.start(),
    stop: () => broker.stop(),
    publish: (topic, messages) => broker.publish(topic, messages),
    subscribe: (options) => {
      // The inbox transaction has committed when a handler resolves; a batch's too (if it holds the record).
      const dieIfKillRecord = (messages: readonly BrokerMessage[]) => {
        if (!messages.some((message) => message.headers.id === killAfterId)) return;
        logger.info({ messageId: killAfterId }, 'killing myself before the offset commit');
        process.kill(process.pid, 'SIGKILL');
      };
      const { batchHandler } = options;
      return broker.subscribe({
        ...options,
        handler: async (message, delivery) => {
          await options.handler(message, delivery);
          dieIfKillRecord([message]);
        },
        batchHandler:
          batchHandler &&
          (async (messages, delivery) => {
            await batchHandler(messages, delivery);
            dieIfKillRecord(messages);
          }),
      });
    },
  };
  const consumer = createInboxConsumer({
    name: env('CONSUMER'),
    topics: [env('TOPIC')],
    broker: dying,
    store,
    logger,
  }).on(ITEM_ADDED, itemAdded, recordItem(env('ITEMS_TABLE')));
  await broker.start();
  await consumer.start();
  process.once('SIGTERM', () => {
    void consumer
      .stop()
      .then(() => broker.stop())
      .then(() => store.close())
      .finally(() => process.exit(0));
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
