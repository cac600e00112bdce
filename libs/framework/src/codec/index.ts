// codec: event payloads to bytes and back, by content type.
//
//   const codec = codecFor(headers['content-type'] ?? DEFAULT_CODEC.contentType);
//   const event = codec.decode(events.PostSubmitted, record.value);
export * from './codec';
export * from './json.codec';
export * from './protobuf.codec';
export * from './codecs';
