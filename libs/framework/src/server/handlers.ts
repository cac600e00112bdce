// Handlers are plain async functions `(request, ctx) => response`; this file adapts them to grpc-js callbacks,
// refuses requests no handler can serve (a NUL in a string), answers errors through the error mapping (database
// failures translated first, so a caller's bad value is INVALID_ARGUMENT and a lost database is UNAVAILABLE, never
// INTERNAL), and stops awaiting a handler once its call is cancelled or expired. Streaming methods are adapted in
// stream-handlers.ts with the same rules.
import type {
  handleUnaryCall,
  MethodDefinition,
  ServiceDefinition,
  UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { UnimplementedError } from '../errors';
import { currentRequest, type Logger, type RequestContext } from '../telemetry';
import { answerOf, detachedRequest, untilAborted } from './call-support';
import { splitPath } from './paths';
import { OpenStreams } from './open-streams';
import { adaptBidiStream, adaptClientStream, adaptServerStream } from './stream-handlers';
import { refuseNul } from './text-guard';

/** UnaryHandler serves one unary RPC: return the response, or throw (a DomainError for a caller-visible failure). */
export type UnaryHandler<Req, Res> = (request: Req, ctx: RequestContext) => Promise<Res> | Res;

/**
 * ServerStreamHandler serves a server-streaming RPC: validate, then return (or resolve with) the messages to send,
 * usually an async generator. A throw before the iterable is returned reaches the caller as the stream's start
 * failure; the stream starts (headers sent) once it is returned. Long waits inside must end on `ctx.signal`, which
 * aborts on cancel, deadline and server shutdown. Writing waits for the caller to read (backpressure).
 */
export type ServerStreamHandler<Req, Res> = (
  request: Req,
  ctx: RequestContext,
) => AsyncIterable<Res> | Promise<AsyncIterable<Res>>;

/** ClientStreamHandler serves a client-streaming RPC: read the requests, answer once. */
export type ClientStreamHandler<Req, Res> = (
  requests: AsyncIterable<Req>,
  ctx: RequestContext,
) => Promise<Res> | Res;

/** BidiStreamHandler serves a bidirectional RPC: read the requests and return the messages to send. */
export type BidiStreamHandler<Req, Res> = (
  requests: AsyncIterable<Req>,
  ctx: RequestContext,
) => AsyncIterable<Res> | Promise<AsyncIterable<Res>>;

/** HandlerOf is the handler type of one generated method definition, by its streaming flags. */
export type HandlerOf<M> = M extends { requestStream: true; responseStream: true }
  ? BidiStreamHandler<RequestOf<M>, ResponseOf<M>>
  : M extends { requestStream: true }
    ? ClientStreamHandler<RequestOf<M>, ResponseOf<M>>
    : M extends { responseStream: true }
      ? ServerStreamHandler<RequestOf<M>, ResponseOf<M>>
      : UnaryHandler<RequestOf<M>, ResponseOf<M>>;

/** RequestOf is the request type of a generated method definition. */
export type RequestOf<M> = M extends { requestDeserialize: (bytes: Buffer) => infer Req } ? Req : never;
/** ResponseOf is the response type of a generated method definition. */
export type ResponseOf<M> = M extends { responseSerialize: (value: infer Res) => Buffer } ? Res : never;

/** Handlers is the implementation of a generated service definition, e.g. Handlers<typeof UserServiceService>. */
export type Handlers<D extends ServiceDefinition> = {
  [K in keyof D]: HandlerOf<D[K]>;
};

/** ServiceBinding pairs a generated service definition with its handlers. */
export interface ServiceBinding<D extends ServiceDefinition = ServiceDefinition> {
  readonly definition: D;
  readonly implementation: Handlers<D>;
}

/** serviceName returns the fully-qualified name of a service definition, e.g. "blog.user.v1.UserService". */
export function serviceName(definition: ServiceDefinition): string {
  const first = Object.values(definition)[0];
  if (!first) throw new Error('service definition has no methods');
  return splitPath(first.path).service;
}

/**
 * unimplemented returns handlers that answer every RPC of definition with UNIMPLEMENTED; a service spreads it and
 * overrides what it has built: `{ ...unimplemented(UserServiceService), getUser }`. Never fake data instead.
 */
export function unimplemented<D extends ServiceDefinition>(definition: D): Handlers<D> {
  const handlers: Record<string, () => never> = {};
  for (const [name, method] of Object.entries(definition)) {
    const { method: rpc } = splitPath(method.path);
    handlers[name] = () => {
      throw new UnimplementedError(`${rpc} is not implemented yet`);
    };
  }
  return handlers as unknown as Handlers<D>;
}

/**
 * toGrpcImplementation adapts handlers to what grpc-js Server.addService expects, unary and streaming alike; open
 * streams are tracked in `streams` so a shutdown can end them (see drainServer).
 */
export function toGrpcImplementation(
  binding: ServiceBinding,
  logger: Logger,
  streams: OpenStreams = new OpenStreams(),
): UntypedServiceImplementation {
  const implementation: UntypedServiceImplementation = {};
  for (const [name, method] of Object.entries(binding.definition)) {
    const handler: unknown = binding.implementation[name];
    if (typeof handler !== 'function') {
      throw new Error(`${method.path}: no handler (spread unimplemented(definition) for RPCs not built yet)`);
    }
    implementation[name] = adapt(method, handler as AnyHandler, logger, streams);
  }
  return implementation;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyHandler = (input: any, ctx: RequestContext) => any;

function adapt(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  method: MethodDefinition<any, any>,
  handler: AnyHandler,
  logger: Logger,
  streams: OpenStreams,
): UntypedServiceImplementation[string] {
  if (method.requestStream && method.responseStream) return adaptBidiStream(handler, logger, streams);
  if (method.requestStream) return adaptClientStream(handler, logger, streams);
  if (method.responseStream) return adaptServerStream(handler, logger, streams);
  return adaptUnary(handler, logger);
}

function adaptUnary(
  handler: UnaryHandler<unknown, unknown>,
  logger: Logger,
): handleUnaryCall<unknown, unknown> {
  return (call, callback) => {
    const ctx = currentRequest() ?? detachedRequest(call, logger);
    untilAborted(() => guarded(handler)(call.request, ctx), ctx).then(
      (response) => callback(null, response),
      (error: unknown) => callback(answerOf(error, ctx)),
    );
  };
}

// The handler, behind the checks every request passes first.
function guarded<Req, Res>(handler: UnaryHandler<Req, Res>): UnaryHandler<Req, Res> {
  return (request, ctx) => {
    refuseNul(request);
    return handler(request, ctx);
  };
}
