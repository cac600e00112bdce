import { events } from '@blog/proto';
import { describe, expect, it } from 'vitest';
import type { BrokerMessage } from '../broker';
import { decodePayload, messageIdOf, UndecodableError } from './decode';

const record = (value: string | null, headers: Record<string, string> = {}): BrokerMessage => ({
  topic: 'events.auth.account',
  partition: 2,
  offset: '17',
  key: 'a',
  value: value === null ? null : Buffer.from(value),
  headers,
  timestamp: '0',
});

describe('messageIdOf', () => {
  it('is the id header when present', () => {
    expect(messageIdOf(record('{}', { id: 'e1' }))).toBe('e1');
  });
  it('falls back to topic-partition-offset', () => {
    expect(messageIdOf(record('{}'))).toBe('events.auth.account-2-17');
  });
});

describe('decodePayload', () => {
  it('decodes proto3 JSON with the generated fromJSON', () => {
    const event = decodePayload(
      record('{"accountId":"a","nickname":"n","blogSlug":"s"}'),
      events.AccountCreated,
    );
    expect(event).toEqual({ meta: undefined, accountId: 'a', nickname: 'n', blogSlug: 's' });
  });
  it('accepts the payload as a JSON string holding the JSON (an unexpanded Debezium jsonb)', () => {
    const event = decodePayload(record(JSON.stringify('{"accountId":"a"}')), events.AccountCreated);
    expect(event.accountId).toBe('a');
  });
  it.each([null, '{', '42', 'null', '"nope"'])('rejects %j as undecodable', (value) => {
    expect(() => decodePayload(record(value), events.AccountCreated)).toThrow(UndecodableError);
  });
  it('turns a throwing decoder into UndecodableError', () => {
    const decoder = {
      fromJSON: () => {
        throw new Error('bad field');
      },
    };
    expect(() => decodePayload(record('{}'), decoder)).toThrow(/payload does not decode: bad field/);
  });

  it('decodes by the contentType header: protobuf binary with the generated decode', () => {
    const message = events.AccountCreated.fromPartial({ accountId: 'a', nickname: 'n', blogSlug: 's' });
    const bytes = Buffer.from(events.AccountCreated.encode(message).finish());
    const binary: BrokerMessage = {
      ...record(null),
      value: bytes,
      headers: { contentType: 'application/x-protobuf' },
    };
    expect(decodePayload(binary, events.AccountCreated)).toMatchObject({
      accountId: 'a',
      nickname: 'n',
      blogSlug: 's',
    });
    // The same bytes read as JSON, or JSON read as protobuf, do not pass for an event.
    expect(() => decodePayload({ ...binary, headers: {} }, events.AccountCreated)).toThrow(UndecodableError);
  });

  it('sends an unknown content type to the dead letters at once, naming it', () => {
    const unknown = record('{"accountId":"a"}', { contentType: 'application/avro' });
    expect(() => decodePayload(unknown, events.AccountCreated)).toThrow(UndecodableError);
    expect(() => decodePayload(unknown, events.AccountCreated)).toThrow(
      /unsupported content type "application\/avro"/,
    );
  });
});
