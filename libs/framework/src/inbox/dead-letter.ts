// Dead-lettering: a copy of the record (same key, value and headers) to `<topic>.dlq`, with why it failed.
import { dlqTopicFor } from '@blog/proto';
import type { Broker, BrokerMessage } from '../broker';
import { DlqHeaders, type DlqReason } from './inbox';

const MAX_ERROR_MESSAGE = 2_000;

/** DeadLetter describes one failed record. */
export interface DeadLetter {
  message: BrokerMessage;
  consumer: string;
  reason: DlqReason;
  error: unknown;
  attempts: number;
}

/** deadLetter publishes the record to its topic's dead-letter topic. */
export async function deadLetter(broker: Broker, letter: DeadLetter): Promise<void> {
  const { message } = letter;
  await broker.publish(dlqTopicFor(message.topic), [
    { key: message.key, value: message.value, headers: { ...message.headers, ...dlqHeaders(letter) } },
  ]);
}

/** dlqHeaders are the headers added to a dead-lettered record. */
export function dlqHeaders(letter: DeadLetter): Record<string, string> {
  const error = letter.error instanceof Error ? letter.error : new Error(String(letter.error));
  return {
    [DlqHeaders.reason]: letter.reason,
    [DlqHeaders.errorMessage]: error.message.slice(0, MAX_ERROR_MESSAGE),
    [DlqHeaders.errorClass]: error.constructor.name || error.name,
    [DlqHeaders.attempts]: String(letter.attempts),
    [DlqHeaders.consumer]: letter.consumer,
    [DlqHeaders.originalTopic]: letter.message.topic,
    [DlqHeaders.originalPartition]: String(letter.message.partition),
    [DlqHeaders.originalOffset]: letter.message.offset,
    [DlqHeaders.failedAt]: new Date().toISOString(),
  };
}
