import { events } from '@blog/proto';
import { describe, expect, it } from 'vitest';
import { CodecError, codecFor, jsonCodec, protobufCodec } from './index';

const published: events.PostPublished = {
  meta: {
    eventId: '3f1b8a52-5f0e-4a43-9a53-0d8e2d2f6c11',
    eventType: 'PostPublished',
    aggregateId: '8d2c0f1e-7d7b-4a53-b2c8-6d1f3c9a0e42',
    occurredAt: '2025-01-02T03:04:05.678Z',
    sagaId: 'b7e0d0a4-1a7c-4c36-9d8e-0a3f1e2b4c5d',
  },
  postId: '8d2c0f1e-7d7b-4a53-b2c8-6d1f3c9a0e42',
  blogId: '0c4b7a10-2e1d-4f8a-9b3c-5d6e7f8a9b0c',
  authorId: '11111111-2222-4333-8444-555555555555',
  title: 'Hello, wörld',
  tags: ['intro', 'typescript'],
  createdAt: '2025-01-02T03:04:00.000Z',
  publishedAt: '2025-01-02T03:04:05.678Z',
};

describe('codecs', () => {
  it('round-trips proto3 JSON, with camelCase fields and RFC 3339 timestamps on the wire', () => {
    const bytes = jsonCodec.encode(events.PostPublished, published);
    const wire = JSON.parse(Buffer.from(bytes).toString('utf8'));
    expect(wire.meta.occurredAt).toBe('2025-01-02T03:04:05.678Z');
    expect(wire.authorId).toBe(published.authorId);
    expect(jsonCodec.decode(events.PostPublished, bytes)).toEqual(published);
  });

  it('round-trips protobuf binary, which is not JSON', () => {
    const bytes = protobufCodec.encode(events.PostPublished, published);
    expect(() => JSON.parse(Buffer.from(bytes).toString('utf8'))).toThrow();
    expect(protobufCodec.decode(events.PostPublished, bytes)).toEqual(published);
  });

  it('finds the codec by content type, ignoring parameters and case', () => {
    expect(codecFor('application/json; charset=utf-8')).toBe(jsonCodec);
    expect(codecFor('Application/X-Protobuf')).toBe(protobufCodec);
  });

  it('rejects an unknown content type with a clear error', () => {
    expect(() => codecFor('text/xml')).toThrow(CodecError);
    expect(() => codecFor('text/xml')).toThrow(
      /unsupported content type "text\/xml" \(supported: application\/json/,
    );
  });

  it('reports a payload that does not decode', () => {
    expect(() => jsonCodec.decode(events.PostPublished, Buffer.from('{not json'))).toThrow(CodecError);
    expect(() => jsonCodec.decode(events.PostPublished, Buffer.from('[1]'))).toThrow(/not a JSON object/);
    expect(() => protobufCodec.decode(events.PostPublished, Buffer.from([0x0a, 0xff, 0xff]))).toThrow(
      CodecError,
    );
  });
});
