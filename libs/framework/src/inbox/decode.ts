// Turning a record into an event: which handler, which message id, which payload. Pure functions, no I/O.
import type { BrokerMessage } from '../broker';
import type { Decoder } from './inbox';

/** UndecodableError marks a record that no retry can fix: it goes to the dead-letter topic at once. */
export class UndecodableError extends Error {
  override readonly name = 'UndecodableError';
}

/** messageIdOf returns the inbox key: Debezium's `id` header (the outbox row id), else `topic-partition-offset`. */
export function messageIdOf(message: BrokerMessage): string {
  // Without the header (a record not produced by the outbox) the record's position is the only stable identity;
  // it dedupes redeliveries of that record but not a copy of it re-produced elsewhere.
  return message.headers.id || `${message.topic}-${message.partition}-${message.offset}`;
}

/** decodePayload parses a record's value as a proto3 JSON object and decodes it; throws UndecodableError. */
export function decodePayload<T>(message: BrokerMessage, decoder: Decoder<T>): T {
  if (message.value === null) throw new UndecodableError('record has no value');
  let payload: unknown;
  try {
    payload = JSON.parse(message.value.toString('utf8'));
    // Debezium's EventRouter emits a jsonb payload as a JSON string unless it expands it: accept both.
    if (typeof payload === 'string') payload = JSON.parse(payload);
  } catch (error) {
    throw new UndecodableError(`value is not JSON: ${(error as Error).message}`);
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new UndecodableError('value is not a JSON object');
  }
  try {
    return decoder.fromJSON(payload);
  } catch (error) {
    throw new UndecodableError(`payload does not decode: ${(error as Error).message}`);
  }
}
