// Event payloads decoded with the generated types, by the record's eventType and contentType headers.
import { messageIdOf, PROTOBUF_CONTENT_TYPE, type BrokerMessage } from '@blog/framework';
import { events } from '@blog/proto';

type Generated = {
  fromJSON(o: unknown): unknown;
  decode(b: Uint8Array): unknown;
  toJSON(m: unknown): unknown;
};

/** eventTypeOf is the record's event type (the last dotted segment of its eventType header). */
export function eventTypeOf(record: BrokerMessage): string {
  return (record.headers['eventType'] ?? '').split('.').pop() ?? '';
}

/** eventIdOf is the record's event id (the inbox key). */
export const eventIdOf = (record: BrokerMessage): string => messageIdOf(record);

/** decodeEvent returns the payload as proto3 JSON, or undefined when it does not decode. */
export function decodeEvent(record: BrokerMessage): Record<string, unknown> | undefined {
  const type = (events as unknown as Record<string, Generated | undefined>)[eventTypeOf(record)];
  try {
    if (!record.value) return undefined;
    if (record.headers['contentType'] === PROTOBUF_CONTENT_TYPE) {
      return type
        ? (type.toJSON(type.decode(new Uint8Array(record.value))) as Record<string, unknown>)
        : undefined;
    }
    return JSON.parse(record.value.toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
