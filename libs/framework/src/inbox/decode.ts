// Turning a record into an event: which handler, which message id, which payload. Pure functions, no I/O.
import type { BrokerMessage } from '../broker';
import { codecFor, JSON_CONTENT_TYPE, PROTOBUF_CONTENT_TYPE } from '../codec';
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

/**
 * decodePayload decodes a record's value by its `contentType` header (proto3 JSON when absent: records from before
 * the header existed); throws UndecodableError for an unknown content type or a payload that does not decode.
 */
export function decodePayload<T>(message: BrokerMessage, decoder: Decoder<T>): T {
  if (message.value === null) throw new UndecodableError('record has no value');
  const contentType = message.headers.contentType || JSON_CONTENT_TYPE;
  let codec;
  try {
    codec = codecFor(contentType);
  } catch (error) {
    throw new UndecodableError((error as Error).message);
  }
  if (codec.contentType === PROTOBUF_CONTENT_TYPE) {
    if (!decoder.decode) throw new UndecodableError(`no protobuf decoder for content type "${contentType}"`);
    try {
      return decoder.decode(new Uint8Array(message.value));
    } catch (error) {
      throw new UndecodableError(`payload is not valid protobuf: ${(error as Error).message}`);
    }
  }
  return decodeJson(message.value, decoder);
}

function decodeJson<T>(value: Buffer, decoder: Decoder<T>): T {
  let payload: unknown;
  try {
    payload = JSON.parse(value.toString('utf8'));
    // A JSON string holding the JSON (what the connector's StringConverter made of a jsonb payload): accept both.
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
