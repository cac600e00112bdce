// Codec: how an event payload becomes bytes and back, chosen by content type (Kafka header / outbox column).

/** MessageType is what ts-proto generates for every message: binary and proto3 JSON conversions. */
export interface MessageType<T> {
  encode(message: T): { finish(): Uint8Array };
  decode(input: Uint8Array): T;
  toJSON(message: T): unknown;
  fromJSON(object: unknown): T;
}

/** Codec encodes and decodes messages of any generated type for one content type. */
export interface Codec {
  /** contentType is the canonical MIME type, e.g. "application/json". */
  readonly contentType: string;
  encode<T>(type: MessageType<T>, message: T): Uint8Array;
  decode<T>(type: MessageType<T>, data: Uint8Array): T;
}

/** CodecError reports bytes that do not decode, or a content type no codec handles. */
export class CodecError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CodecError';
  }
}
