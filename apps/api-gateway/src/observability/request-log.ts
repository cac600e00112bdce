// One access line per request, at the end, priced by what it says. Fastify's own request logging wrote two lines per
// request (incoming, completed) at info, each through a child logger and the framework's mixin: on a success that
// nobody reads, that was the largest single cost of a request after the socket write. Here:
//   - a success (status < 400) is logged at debug (LOG_LEVEL=debug shows them all), or at info for a sample of
//     them (`sampleRate`, 0..1: 0.01 logs one success in a hundred);
//   - a client error (4xx) at info and a server error (5xx) at warn: always, whatever the sampling (the error handler
//     logs the cause beside it, errors.ts).
// The line carries the request and trace ids (the request's logger), method, route, URL, status and duration.
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';

/** RequestLogOptions tune the access line. */
export interface RequestLogOptions {
  /** sampleRate is the share of successful requests logged at info (default 0: none; debug shows them all). */
  readonly sampleRate?: number;
  /** random draws the sample (tests pass a fixed one). */
  readonly random?: () => number;
}

/** registerRequestLog adds the access line (buildApp turns Fastify's own request logging off). */
export function registerRequestLog(app: FastifyInstance, options: RequestLogOptions = {}): void {
  const sampleRate = Math.min(1, Math.max(0, options.sampleRate ?? 0));
  const random = options.random ?? Math.random;
  app.addHook('onResponse', (request, reply, done) => {
    const status = reply.statusCode;
    const level =
      status >= 500
        ? 'warn'
        : status >= 400
          ? 'info'
          : sampleRate > 0 && random() < sampleRate
            ? 'info'
            : 'debug';
    // The level check first: a success nobody logs costs nothing past this line.
    // The gateway's logger is pino (FastifyBaseLogger is the structural subset, without isLevelEnabled).
    const log = request.log as unknown as Logger;
    if (log.isLevelEnabled(level)) {
      log[level](
        {
          // No traceId here: the request's logger carries it already (request-context.ts), and a second one would
          // write the key twice in the JSON line.
          method: request.method,
          route: request.routeOptions.url,
          url: request.url,
          statusCode: status,
          responseTimeMs: Math.round(reply.elapsedTime * 100) / 100,
        },
        'request completed',
      );
    }
    done();
  });
}
