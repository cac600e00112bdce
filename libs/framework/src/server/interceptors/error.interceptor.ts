// The safety net of the error mapping: handlers adapted by the framework already answer safe statuses; this catches
// whatever else reaches the wire (a raw grpc-js handler, a thrown error grpc-js turned into UNKNOWN) and replaces
// it with INTERNAL and a generic message. The real details are logged with the request id, never sent.
import { Metadata, ServerInterceptingCall, status, type ServerInterceptor } from '@grpc/grpc-js';
import { INTERNAL_MESSAGE, statusName } from '../../errors';
import { currentRequest, type Logger, type RequestContext } from '../../telemetry';

const HIDDEN_CODES = new Set<status>([status.UNKNOWN, status.INTERNAL, status.DATA_LOSS]);

function leaks(answer: { code: status; details: string }): boolean {
  return HIDDEN_CODES.has(answer.code) && answer.details !== INTERNAL_MESSAGE;
}

/** errorInterceptor makes sure no unexpected error's message, stack or trailers reach the caller. */
export function errorInterceptor(logger: Logger): ServerInterceptor {
  return (descriptor, call) => {
    let request: RequestContext | undefined;
    return new ServerInterceptingCall(call, {
      start: (next) =>
        next({
          onReceiveMetadata: (metadata, nextMetadata) => {
            request = currentRequest();
            nextMetadata(metadata);
          },
        }),
      sendStatus: (answer, next) => {
        if (!leaks(answer)) return next(answer);
        const log = request?.logger ?? logger.child({ method: descriptor.path });
        log.error({ grpcCode: statusName(answer.code), details: answer.details }, 'unsafe status hidden');
        next({ code: status.INTERNAL, details: INTERNAL_MESSAGE, metadata: new Metadata() });
      },
    });
  };
}
