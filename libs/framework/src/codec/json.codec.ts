import { CodecError, type Codec, type MessageType } from './codec';

/** JSON_CONTENT_TYPE is proto3 JSON (camelCase fields, enums as names, timestamps as RFC 3339 strings). */
export const JSON_CONTENT_TYPE = 'application/json';

/** jsonCodec is the default codec: proto3 JSON through the generated toJSON/fromJSON, UTF-8 encoded. */
export const jsonCodec: Codec = {
  contentType: JSON_CONTENT_TYPE,
  encode<T>(type: MessageType<T>, message: T): Uint8Array {
    return Buffer.from(JSON.stringify(type.toJSON(message)), 'utf8');
  },
  decode<T>(type: MessageType<T>, data: Uint8Array): T {
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(data).toString('utf8'));
    } catch (error) {
      throw new CodecError(`payload is not valid JSON: ${(error as Error).message}`, { cause: error });
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new CodecError('payload is not a JSON object');
    }
    return type.fromJSON(parsed);
  },
};
