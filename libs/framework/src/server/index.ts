// server: the gRPC server with its interceptor chain, handler adapters and request validation.
//
//   const server = createGrpcServer({ logger, metrics, maxDeadlineMs: 30_000 });
//   addService(server, { definition: user.UserServiceService, implementation: { ...unimplemented(def), getUser } }, logger);
//   // in a handler: const input = validate(schema, request); throw new NotFoundError('user not found');
export * from './handlers';
export * from './validation';
export * from './grpc-server';
export * from './paths';
export {
  onCallEnd,
  serverInterceptors,
  SERVER_METRICS,
  type CallEnd,
  type InterceptorOptions,
} from './interceptors';
export { NUL_VIOLATION_MESSAGE, nulViolations, refuseNul } from './text-guard';
export { OpenStreams, openStreamsOf } from './open-streams';
