// One log line per call, after the error mapping, so it shows what the caller got.
import { status, type ServerInterceptor } from '@grpc/grpc-js';
import { statusName } from '../../errors';
import type { Logger } from '../../telemetry';
import { onCallEnd } from './call-end';

// Probes and tooling call these all day long: log them at debug, not info.
const QUIET_SERVICES = ['/grpc.health.v1.', '/grpc.reflection.'];
const SERVER_FAULTS = new Set<status>([status.INTERNAL, status.UNKNOWN, status.DATA_LOSS]);
const DEGRADED = new Set<status>([status.UNAVAILABLE, status.DEADLINE_EXCEEDED]);

/** loggingInterceptor logs every call's method, status and duration with the request's ids. */
export function loggingInterceptor(logger: Logger): ServerInterceptor {
  return onCallEnd(({ path, code, details, seconds, request }) => {
    const log = request?.logger ?? logger.child({ method: path });
    const fields = {
      grpcCode: statusName(code),
      durationMs: Math.round(seconds * 1e6) / 1e3,
      ...(code ? { details } : {}),
    };
    if (SERVER_FAULTS.has(code)) log.error(fields, 'rpc failed');
    else if (DEGRADED.has(code)) log.warn(fields, 'rpc degraded');
    else if (QUIET_SERVICES.some((prefix) => path.startsWith(prefix))) log.debug(fields, 'rpc');
    else log.info(fields, 'rpc');
  });
}
