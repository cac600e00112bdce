// The Kafka clients a Kafka Broker can run on, by name (KAFKA_CLIENT).
import type { Broker } from '../broker';
import { installNonBlockingLookup } from './dns-lookup';
import { KafkajsBroker } from './kafka.broker';
import type { KafkaBrokerOptions } from './options';
import { PlatformaticBroker } from './platformatic.broker';

/** KAFKA_CLIENTS names the Kafka clients, the default first. */
export const KAFKA_CLIENTS = ['platformatic', 'kafkajs'] as const;

/** KafkaClientName is one of KAFKA_CLIENTS. */
export type KafkaClientName = (typeof KAFKA_CLIENTS)[number];

/** DEFAULT_KAFKA_CLIENT is the client chosen by benchmarks/kafka-clients (see benchmarks/README.md). */
export const DEFAULT_KAFKA_CLIENT: KafkaClientName = 'platformatic';

/** CreateKafkaBrokerOptions adds the client choice to the Kafka Broker options. */
export interface CreateKafkaBrokerOptions extends KafkaBrokerOptions {
  /** client: which Kafka client runs the broker (default DEFAULT_KAFKA_CLIENT). */
  client?: KafkaClientName;
}

/** isKafkaClient tells a known client name from anything else. */
export function isKafkaClient(name: string): name is KafkaClientName {
  return (KAFKA_CLIENTS as readonly string[]).includes(name);
}

/** lookupInstalled: the process-wide lookup is installed by the first Kafka broker and stays. */
let lookupInstalled: (() => void) | undefined;

/** createKafkaBroker returns a Kafka Broker on the chosen client; an unknown client is refused naming the known ones. */
export function createKafkaBroker(options: CreateKafkaBrokerOptions): Broker {
  const { client = DEFAULT_KAFKA_CLIENT, ...rest } = options;
  // Once per process: a broker whose name stops resolving must not fill libuv's thread pool (dns-lookup.ts).
  lookupInstalled ??= installNonBlockingLookup();
  switch (client) {
    case 'platformatic':
      return new PlatformaticBroker(rest);
    case 'kafkajs':
      return new KafkajsBroker(rest);
    default:
      throw new Error(
        `KAFKA_CLIENT: unknown Kafka client "${String(client)}"; known: ${KAFKA_CLIENTS.join(', ')}`,
      );
  }
}
