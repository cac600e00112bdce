// The gRPC server: grpc-js with the standard interceptors, services added from handler bindings,
// binding to host:port (0 = any free port) and a graceful drain with a forced end after a deadline.
import { Server, ServerCredentials, type ServerOptions } from '@grpc/grpc-js';
import type { Logger } from '../telemetry';
import { toGrpcImplementation, type ServiceBinding } from './handlers';
import { serverInterceptors, type InterceptorOptions } from './interceptors';
import { openStreamsOf } from './open-streams';

/** GrpcServerOptions configure createGrpcServer. */
export interface GrpcServerOptions extends InterceptorOptions {
  /** Extra grpc-js server options (message sizes, keepalive); interceptors are always the standard chain. */
  readonly grpc?: Omit<ServerOptions, 'interceptors'>;
}

/** createGrpcServer returns a grpc-js Server with the standard interceptor chain (see interceptors/index.ts). */
export function createGrpcServer(options: GrpcServerOptions): Server {
  return new Server({ ...options.grpc, interceptors: serverInterceptors(options) });
}

/** addService registers a service's handlers on the server, adapted and error-mapped. */
export function addService(server: Server, binding: ServiceBinding, logger: Logger): void {
  server.addService(binding.definition, toGrpcImplementation(binding, logger, openStreamsOf(server)));
}

/**
 * bindServer listens on host:port and resolves with the bound port; `credentials` default to none (tests, tools):
 * services bind with mTLS (auth/tls.ts serverCredentials).
 */
export function bindServer(
  server: Server,
  host: string,
  port: number,
  credentials: ServerCredentials = ServerCredentials.createInsecure(),
): Promise<number> {
  const address = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  return new Promise((resolve, reject) => {
    server.bindAsync(address, credentials, (error, bound) => (error ? reject(error) : resolve(bound)));
  });
}

/** DrainResult tells whether in-flight calls all finished ("graceful") or were cut at the deadline ("forced"). */
export type DrainResult = 'graceful' | 'forced';

/**
 * drainServer stops accepting calls, ends the open streams of the framework's handlers (UNAVAILABLE after the
 * messages already written: their callers reconnect elsewhere and resume), lets in-flight unary calls finish within
 * timeoutMs, then cancels what is left.
 */
export function drainServer(server: Server, timeoutMs: number): Promise<DrainResult> {
  openStreamsOf(server).endAll();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.forceShutdown();
      resolve('forced');
    }, timeoutMs);
    server.tryShutdown(() => {
      clearTimeout(timer);
      resolve('graceful');
    });
  });
}
