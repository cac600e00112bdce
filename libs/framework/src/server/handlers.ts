// Handlers are plain async functions `(request, ctx) => response`; this file adapts them to grpc-js callbacks,
// refuses requests no handler can serve (a NUL in a string), answers errors through the error mapping (database
// failures translated first, so a caller's bad value is INVALID_ARGUMENT and a lost database is UNAVAILABLE, never
// INTERNAL), and stops awaiting a handler once its call is cancelled or expired.
import type {
  handleUnaryCall,
  ServerUnaryCall,
  ServiceDefinition,
  UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { mapError, toServerError, UnimplementedError } from '../errors';
import { currentRequest, type Logger, type RequestContext } from '../telemetry';
import { extractTraceContext, startServerSpan } from '../telemetry/tracing';
import { newRequestContext } from '../telemetry/request-context';
import { translateDatabaseError } from '../store/database-errors';
import { deadlineMs, splitPath } from './paths';
import { refuseNul } from './text-guard';

/** UnaryHandler serves one unary RPC: return the response, or throw (a DomainError for a caller-visible failure). */
export type UnaryHandler<Req, Res> = (request: Req, ctx: RequestContext) => Promise<Res> | Res;

/** RequestOf is the request type of a generated method definition. */
export type RequestOf<M> = M extends { requestDeserialize: (bytes: Buffer) => infer Req } ? Req : never;
/** ResponseOf is the response type of a generated method definition. */
export type ResponseOf<M> = M extends { responseSerialize: (value: infer Res) => Buffer } ? Res : never;

/** Handlers is the implementation of a generated service definition, e.g. Handlers<typeof UserServiceService>. */
export type Handlers<D extends ServiceDefinition> = {
  [K in keyof D]: UnaryHandler<RequestOf<D[K]>, ResponseOf<D[K]>>;
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
  const handlers: Record<string, UnaryHandler<unknown, unknown>> = {};
  for (const [name, method] of Object.entries(definition)) {
    const { method: rpc } = splitPath(method.path);
    handlers[name] = () => {
      throw new UnimplementedError(`${rpc} is not implemented yet`);
    };
  }
  return handlers as Handlers<D>;
}

/** toGrpcImplementation adapts handlers to what grpc-js Server.addService expects; only unary methods are supported. */
export function toGrpcImplementation(binding: ServiceBinding, logger: Logger): UntypedServiceImplementation {
  const implementation: UntypedServiceImplementation = {};
  for (const [name, method] of Object.entries(binding.definition)) {
    if (method.requestStream || method.responseStream) {
      throw new Error(`${method.path}: streaming methods are not supported by the framework`);
    }
    const handler = binding.implementation[name];
    if (typeof handler !== 'function') {
      throw new Error(`${method.path}: no handler (spread unimplemented(definition) for RPCs not built yet)`);
    }
    implementation[name] = adaptUnary(handler, logger);
  }
  return implementation;
}

function adaptUnary(
  handler: UnaryHandler<unknown, unknown>,
  logger: Logger,
): handleUnaryCall<unknown, unknown> {
  return (call, callback) => {
    const ctx = currentRequest() ?? detachedRequest(call, logger);
    untilAborted(guarded(handler), call.request, ctx).then(
      (response) => callback(null, response),
      (error: unknown) => {
        const translated = translateDatabaseError(error);
        const mapped = mapError(translated ?? error);
        if (translated) {
          ctx.logger.warn(
            { err: error, grpcCode: mapped.status.code },
            'database refused the call; the caller gets a safe status',
          );
        } else if (mapped.hidden) {
          ctx.logger.error(
            { err: error, grpcCode: mapped.status.code },
            'handler failed; the caller gets a generic status',
          );
        }
        callback(toServerError(mapped.status));
      },
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

// Resolves with the handler's answer, or rejects with the signal's reason (DeadlineExceededError, CancelledError)
// as soon as the call is cancelled or expires: the handler's promise is then no longer awaited.
function untilAborted<Req, Res>(
  handler: UnaryHandler<Req, Res>,
  request: Req,
  ctx: RequestContext,
): Promise<Res> {
  const { signal } = ctx;
  if (signal.aborted) return Promise.reject(signal.reason);
  let onAbort = (): void => undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  const answered = new Promise<Res>((resolve) => resolve(handler(request, ctx)));
  return Promise.race([answered, aborted]).finally(() => signal.removeEventListener('abort', onAbort));
}

// Only reached when a handler is served without the framework's interceptors (a bare grpc-js Server).
function detachedRequest(call: ServerUnaryCall<unknown, unknown>, logger: Logger): RequestContext {
  const path = call.getPath();
  const { service, method } = splitPath(path);
  const { context } = startServerSpan(`${service}/${method}`, extractTraceContext(call.metadata));
  return newRequestContext({
    method: path,
    metadata: call.metadata,
    deadline: deadlineMs(call.getDeadline()),
    logger,
    traceContext: context,
  });
}
