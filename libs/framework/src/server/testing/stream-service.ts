// Test support: a service definition with one method of each streaming kind, written by hand with JSON messages
// (grpc-js needs only the path, the flags and the (de)serializers), so the framework's streaming is tested over real
// gRPC without a test-only proto in the public contract. Not exported from the package.
import type { MethodDefinition } from '@grpc/grpc-js';

/** Num is the message every method takes and returns: a number and optional padding (for backpressure tests). */
export interface Num {
  readonly n: number;
  readonly text?: string;
  readonly pad?: string;
}

const json = {
  requestSerialize: (value: Num): Buffer => Buffer.from(JSON.stringify(value)),
  requestDeserialize: (bytes: Buffer): Num => JSON.parse(bytes.toString()) as Num,
  responseSerialize: (value: Num): Buffer => Buffer.from(JSON.stringify(value)),
  responseDeserialize: (bytes: Buffer): Num => JSON.parse(bytes.toString()) as Num,
};

/** StreamsService: count (server stream), sum (client stream), echo (bidi), and a unary one for comparison. */
export const StreamsService = {
  count: {
    path: '/blog.testing.v1.Streams/Count' as const,
    requestStream: false as const,
    responseStream: true as const,
    ...json,
  },
  sum: {
    path: '/blog.testing.v1.Streams/Sum' as const,
    requestStream: true as const,
    responseStream: false as const,
    ...json,
  },
  echo: {
    path: '/blog.testing.v1.Streams/Echo' as const,
    requestStream: true as const,
    responseStream: true as const,
    ...json,
  },
  double: {
    path: '/blog.testing.v1.Streams/Double' as const,
    requestStream: false as const,
    responseStream: false as const,
    ...json,
  },
} satisfies Record<string, MethodDefinition<Num, Num>>;
