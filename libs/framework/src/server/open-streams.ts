// The streams a server has open, so that a shutdown can end them: a unary call finishes by itself within the drain
// timeout, but a stream (a live feed) may never end on its own and would hold tryShutdown until it is forced.
import type { Server } from '@grpc/grpc-js';
import { UnavailableError } from '../errors';
import { abortRequest, type RequestContext } from '../telemetry/request-context';

/** OpenStreams tracks a server's open streaming calls by their request context. */
export class OpenStreams {
  private readonly open = new Set<RequestContext>();

  /** track registers a stream until the returned function is called (when the call has ended). */
  track(request: RequestContext): () => void {
    this.open.add(request);
    return () => this.open.delete(request);
  }

  /** size is the number of streams open now. */
  get size(): number {
    return this.open.size;
  }

  /**
   * endAll aborts every open stream with UNAVAILABLE (retryable: the caller reconnects, to another replica, and
   * resumes from what it received); messages already written are delivered before the status.
   */
  endAll(reason: Error = new UnavailableError('server is shutting down')): number {
    const count = this.open.size;
    for (const request of this.open) abortRequest(request, reason);
    this.open.clear();
    return count;
  }
}

const byServer = new WeakMap<Server, OpenStreams>();

/** openStreamsOf returns the OpenStreams of a server (made on first use): addService fills it, drainServer ends it. */
export function openStreamsOf(server: Server): OpenStreams {
  let streams = byServer.get(server);
  if (!streams) {
    streams = new OpenStreams();
    byServer.set(server, streams);
  }
  return streams;
}
