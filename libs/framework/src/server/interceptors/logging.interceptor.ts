// One log line per call, after the error mapping, so it shows what the caller got, priced by what it says (the same
// policy as the gateway's access line, apps/api-gateway/src/observability/request-log.ts):
//   - a success at debug (LOG_LEVEL=debug shows every call): an info line per successful call was the largest single
//     cost of a fast call after the socket write (benchmarks/README.md, grpc-service);
//   - a client error (NOT_FOUND, INVALID_ARGUMENT, FAILED_PRECONDITION, ...) at info, always;
//   - a degraded answer (UNAVAILABLE, DEADLINE_EXCEEDED) at warn and a server fault at error, always.
// The level is checked before anything is built: a success nobody logs costs no child logger and no fields.
import { status, type ServerInterceptor } from '@grpc/grpc-js';
import { statusName } from '../../errors';
import type { Logger } from '../../telemetry';
import { onCallEnd } from './call-end';

const SERVER_FAULTS = new Set<status>([status.INTERNAL, status.UNKNOWN, status.DATA_LOSS]);
const DEGRADED = new Set<status>([status.UNAVAILABLE, status.DEADLINE_EXCEEDED]);

/** levelOf is the level of a call's line by its status. */
export function levelOf(code: status): 'error' | 'warn' | 'info' | 'debug' {
  if (SERVER_FAULTS.has(code)) return 'error';
  if (DEGRADED.has(code)) return 'warn';
  return code === status.OK ? 'debug' : 'info';
}

/** loggingInterceptor logs every call's method, status and duration with the request's ids. */
export function loggingInterceptor(logger: Logger): ServerInterceptor {
  return onCallEnd(({ path, code, details, seconds, request }) => {
    const level = levelOf(code);
    if (!logger.isLevelEnabled(level)) return;
    const log = request?.logger ?? logger.child({ method: path });
    const fields = {
      grpcCode: statusName(code),
      durationMs: Math.round(seconds * 1e6) / 1e3,
      ...(code ? { details } : {}),
    };
    const message = level === 'error' ? 'rpc failed' : level === 'warn' ? 'rpc degraded' : 'rpc';
    log[level](fields, message);
  });
}
