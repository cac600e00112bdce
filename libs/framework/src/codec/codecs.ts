// The lookup from content type to codec: "application/json; charset=utf-8" finds the JSON codec.
import { CodecError, type Codec } from './codec';
import { jsonCodec } from './json.codec';
import { protobufCodec } from './protobuf.codec';

const byContentType = new Map<string, Codec>([
  [jsonCodec.contentType, jsonCodec],
  [protobufCodec.contentType, protobufCodec],
  ['application/protobuf', protobufCodec],
]);

/** DEFAULT_CODEC is used when a message names no content type. */
export const DEFAULT_CODEC: Codec = jsonCodec;

/** codecFor returns the codec of a content type (parameters and case ignored) or throws a CodecError. */
export function codecFor(contentType: string): Codec {
  const essence = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  const codec = byContentType.get(essence);
  if (!codec) {
    const known = [...byContentType.keys()].join(', ');
    throw new CodecError(`unsupported content type "${contentType}" (supported: ${known})`);
  }
  return codec;
}

/** supportedContentTypes lists the content types codecFor knows. */
export function supportedContentTypes(): string[] {
  return [...byContentType.keys()];
}
