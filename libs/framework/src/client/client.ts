// The client contract: what one call carries through the wrappers, and the shape of a typed client.
import type { Deadline, Metadata, MethodDefinition } from '@grpc/grpc-js';
import type { BreakerOptions } from '../breaker/breaker';
import type { Node } from '../registry/registry';
import type { ResponseStream } from './stream';

/** UnaryMethod is one method of a generated grpc-js service definition (e.g. `UserServiceService.getUser`). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type UnaryMethod = MethodDefinition<any, any>;

/** ServiceMethods is a generated grpc-js service definition, such as `UserServiceService` from @blog/proto. */
export type ServiceMethods = { readonly [method: string]: UnaryMethod };

/** CallContext travels with one logical call through the wrappers; wrappers pass modified copies inward. */
export interface CallContext {
  /** service is the logical service name (registry key, metric label), e.g. 'user'. */
  readonly service: string;
  /** method is the RPC name, e.g. 'GetUser'. */
  readonly method: string;
  /** endpoint is `service.method`, the unit a circuit breaker guards, e.g. 'user.GetUser'. */
  readonly endpoint: string;
  /** definition holds the path and the (de)serializers of the method. */
  readonly definition: UnaryMethod;
  /** idempotent methods may be retried on UNAVAILABLE. */
  readonly idempotent: boolean;
  /** timeoutMs is the method's configured deadline budget; the breaker's timeout is derived from it. */
  readonly timeoutMs: number;
  /** deadline of the whole logical call, retries included. */
  readonly deadline: Date;
  /** metadata sent with every attempt (traceparent, x-request-id, caller's own). */
  readonly metadata: Metadata;
  /** attempt counts from 1; set by the retry wrapper. */
  readonly attempt: number;
  /** node is the chosen node; set by the selector wrapper, read by the transport. */
  readonly node?: Node;
}

/** Call performs one call; every wrapper and the transport have this shape. */
export type Call = (request: unknown, ctx: CallContext) => Promise<unknown>;

/** CallWrapper adds one concern around a call (go-micro's `CallWrapper func(CallFunc) CallFunc`). */
export type CallWrapper = (next: Call) => Call;

/** compose applies wrappers outermost first: compose([a, b])(call) is a(b(call)). */
export function compose(wrappers: readonly CallWrapper[]): CallWrapper {
  return (call) => wrappers.reduceRight((next, wrap) => wrap(next), call);
}

/** StreamCallOptions are per stream. */
export interface StreamCallOptions extends ClientCallOptions {
  /** signal cancels the stream when it aborts. */
  signal?: AbortSignal;
}

/** ClientCallOptions are per call. */
export interface ClientCallOptions {
  /** deadline of this call; it can only shorten the method's deadline (propagate an incoming call's deadline). */
  deadline?: Deadline;
  /** requestId is passed along as the `x-request-id` metadata. */
  requestId?: string;
  /** metadata to send in addition. */
  metadata?: Metadata;
}

/** ClientReconfiguration is what a running client may change (see ServiceClient.reconfigure). */
export interface ClientReconfiguration<S> {
  /** methods replaces the options of the methods named; the others keep theirs. */
  methods?: { readonly [K in keyof S]?: ClientMethodOptions };
  /** breaker changes the thresholds of every endpoint breaker of the client, present and future. */
  breaker?: Pick<BreakerOptions, 'errorThresholdPercentage' | 'volumeThreshold' | 'resetTimeoutMs'>;
}

/** ClientMethodOptions configure one method of a client. */
export interface ClientMethodOptions {
  /** idempotent marks a method safe to retry on UNAVAILABLE (Get*, List*, ...); default false. */
  idempotent?: boolean;
  /**
   * deadlineMs of each call to this method (default: the client's deadlineMs, itself 2000). For a streaming method it
   * bounds the whole stream and defaults to none: a live stream lasts until either side ends it.
   */
  deadlineMs?: number;
  /** startTimeoutMs bounds the start of a stream (its headers), which its breaker judges (default 2000). */
  startTimeoutMs?: number;
}

type RequestOf<M> = M extends { requestSerialize: (value: infer Req) => Buffer } ? Req : never;
type ResponseOf<M> = M extends { responseDeserialize: (bytes: Buffer) => infer Res } ? Res : never;

/**
 * ClientMethod is the typed client's function for one method: a promise of the answer (unary), of a ResponseStream
 * to iterate (server-streaming), or taking the caller's messages as an AsyncIterable (client-streaming, bidi).
 */
export type ClientMethod<M> = M extends { requestStream: true; responseStream: true }
  ? (
      requests: AsyncIterable<RequestOf<M>>,
      options?: StreamCallOptions,
    ) => Promise<ResponseStream<ResponseOf<M>>>
  : M extends { requestStream: true }
    ? (requests: AsyncIterable<RequestOf<M>>, options?: StreamCallOptions) => Promise<ResponseOf<M>>
    : M extends { responseStream: true }
      ? (request: RequestOf<M>, options?: StreamCallOptions) => Promise<ResponseStream<ResponseOf<M>>>
      : (request: RequestOf<M>, options?: ClientCallOptions) => Promise<ResponseOf<M>>;

/** TypedClient has one promise-returning method per RPC, typed from the generated request and response types. */
export type TypedClient<S extends ServiceMethods> = {
  readonly [K in keyof S]: ClientMethod<S[K]>;
};

/** ServiceClient is a TypedClient that also owns its channels. */
export type ServiceClient<S extends ServiceMethods> = TypedClient<S> & {
  /** close stops watching the registry and health, and closes every channel. */
  close(): void;
  /**
   * reconfigure changes, at runtime, the per-method options (deadlines, retry-safety) and the breakers' thresholds
   * (error percentage, volume, reset time) of this client: calls started afterwards use them; open breakers keep
   * their state (dynamic config: go-micro's client.Init).
   */
  reconfigure(changes: ClientReconfiguration<S>): void;
};
