// Brokers by name (BROKER): the data plane asks for a broker by the name in its config and never names an
// implementation itself. `kafka` (on the client named by KAFKA_CLIENT) and `memory` (unit tests only) are built in;
// registerBroker adds another (a NATS or RabbitMQ adapter, say) without touching the framework.
//
//   registerBroker('nats', (settings) => createNatsBroker({ ...settings.kafka, logger: settings.logger }));
//   const broker = createBroker(config.BROKER, { clientId: 'user', logger, kafka: { brokers, client: 'platformatic' } });
import type { Logger } from 'pino';
import type { Broker } from './broker';
import { createKafkaBroker, type CreateKafkaBrokerOptions } from './kafka';
import { MemoryBroker } from './memory';

/** BrokerSettings are what every broker factory receives; each takes the part it understands. */
export interface BrokerSettings {
  clientId: string;
  logger: Logger;
  /** kafka: the Kafka connection and group timing (used by `kafka`). */
  kafka?: Omit<CreateKafkaBrokerOptions, 'clientId' | 'logger'>;
}

/** BrokerFactory builds a broker; nothing may connect before the broker's start(). */
export type BrokerFactory = (settings: BrokerSettings) => Broker;

/** DEFAULT_BROKER is the broker a service gets when BROKER is unset. */
export const DEFAULT_BROKER = 'kafka';

const factories = new Map<string, BrokerFactory>([
  [
    'kafka',
    ({ clientId, logger, kafka }) => {
      if (!kafka || kafka.brokers.length === 0) {
        throw new Error('KAFKA_BROKERS: is required with BROKER=kafka');
      }
      return createKafkaBroker({ ...kafka, clientId, logger });
    },
  ],
  ['memory', () => new MemoryBroker()],
]);

/** registerBroker makes a broker available by name; a name already taken is refused. */
export function registerBroker(name: string, factory: BrokerFactory): void {
  if (factories.has(name)) throw new Error(`BROKER: "${name}" is already registered`);
  factories.set(name, factory);
}

/** brokerNames lists the registered broker names. */
export function brokerNames(): string[] {
  return [...factories.keys()];
}

/** isBrokerName tells a registered broker name from anything else. */
export function isBrokerName(name: string): boolean {
  return factories.has(name);
}

/** createBroker builds the broker registered as `name`; an unknown name is refused naming BROKER and the known names. */
export function createBroker(name: string, settings: BrokerSettings): Broker {
  const factory = factories.get(name);
  if (!factory) {
    throw new Error(`BROKER: unknown broker "${name}"; known: ${brokerNames().join(', ')}`);
  }
  return factory(settings);
}
