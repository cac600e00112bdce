// What both Kafka clients share: the options of a Kafka Broker, their defaults, and the redelivery loop that keeps a
// rejected record in hand (retried with backoff) so nothing after it in its partition runs first.
import type { Logger } from 'pino';
import type { BatchHandler, BrokerMessage, DeliveryContext } from '../broker';
import type { KafkaSasl } from './sasl';

/** KafkaBrokerOptions configures a Kafka Broker (either client); only brokers, clientId and logger are required. */
export interface KafkaBrokerOptions {
  brokers: readonly string[];
  clientId: string;
  logger: Logger;
  /** sasl: the principal the client signs in as (unset: no authentication, for a broker that asks for none). */
  sasl?: KafkaSasl;
  /**
   * sessionTimeoutMs: a member silent for this long is evicted from its group (default 6000, the least a broker
   * accepts by default: group.min.session.timeout.ms). It bounds how long the partitions of a SIGKILLed or frozen
   * member wait: a restarted process joins as a new member and the group waits until the old one's session expires.
   */
  sessionTimeoutMs?: number;
  /** heartbeatIntervalMs (default 1000): how soon a member notices a rebalance; at most a third of the session. */
  heartbeatIntervalMs?: number;
  /** rebalanceTimeoutMs: how long a rebalance waits for live members to rejoin (default 20000). */
  rebalanceTimeoutMs?: number;
  /** partitionsConsumedConcurrently per subscription; records of one partition are never concurrent (default 3). */
  partitionsConsumedConcurrently?: number;
  /** redeliveryDelayMs: first pause before a rejected record is delivered again, doubling up to 30 s (default 500). */
  redeliveryDelayMs?: number;
  /** maxWaitTimeMs: how long a fetch waits for records; stop() waits for the fetch in flight (default 1000). */
  maxWaitTimeMs?: number;
  /** joinTimeoutMs bounds how long subscribe() waits for the member to join its group (default 60000). */
  joinTimeoutMs?: number;
  /** connectionTimeoutMs (default 3000). */
  connectionTimeoutMs?: number;
}

/** DEFAULT_SESSION_TIMEOUT_MS: see KafkaBrokerOptions.sessionTimeoutMs. */
export const DEFAULT_SESSION_TIMEOUT_MS = 6_000;
/** DEFAULT_HEARTBEAT_INTERVAL_MS: see KafkaBrokerOptions.heartbeatIntervalMs. */
export const DEFAULT_HEARTBEAT_INTERVAL_MS = 1_000;
/** DEFAULT_REBALANCE_TIMEOUT_MS: see KafkaBrokerOptions.rebalanceTimeoutMs. */
export const DEFAULT_REBALANCE_TIMEOUT_MS = 20_000;

const MAX_REDELIVERY_DELAY_MS = 30_000;

/** REVIVE_FIRST_DELAY_MS / REVIVE_MAX_DELAY_MS: the backoff of starting a member again after its client gave up. */
export const REVIVE_FIRST_DELAY_MS = 1_000;
export const REVIVE_MAX_DELAY_MS = 10_000;

/**
 * deliver retries a rejecting handler with backoff until it resolves (true) or the member stops (false). The records
 * are consecutive ones of one partition: a batch is retried whole, as one record is.
 */
export async function deliver(
  messages: readonly BrokerMessage[],
  handler: BatchHandler,
  context: DeliveryContext,
  logger: Logger,
  firstDelayMs = 500,
): Promise<boolean> {
  let delay = firstDelayMs;
  for (;;) {
    try {
      await handler(messages, context);
      return true;
    } catch (error) {
      const [first] = messages;
      logger.error(
        {
          err: error,
          topic: first.topic,
          partition: first.partition,
          offset: first.offset,
          ...(messages.length > 1 ? { records: messages.length } : {}),
          retryInMs: delay,
        },
        messages.length > 1
          ? 'handler failed; the records will be delivered again'
          : 'handler failed; the record will be delivered again',
      );
    }
    const until = Date.now() + delay;
    while (Date.now() < until) {
      if (context.isStopping()) return false;
      await sleep(Math.min(until - Date.now(), 1_000));
      await context.heartbeat();
    }
    delay = Math.min(delay * 2, MAX_REDELIVERY_DELAY_MS);
  }
}

/** sleep resolves after `ms` milliseconds. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
