// A building block for interceptors that act once per call when it ends (logging, metrics), whichever way it ends:
// through a status that passes them, or through a cancellation (the caller left, or grpc-js expired the deadline).
import { ServerInterceptingCall, status, type ServerInterceptor } from '@grpc/grpc-js';
import { currentRequest, type RequestContext } from '../../telemetry';
import { deadlineMs } from '../paths';

/** CallEnd describes how a call ended. */
export interface CallEnd {
  /** path is the full gRPC path of the method. */
  readonly path: string;
  readonly code: status;
  readonly details: string;
  readonly seconds: number;
  /** request is the call's RequestContext (absent if the call failed before its metadata was read). */
  readonly request: RequestContext | undefined;
}

/** onCallEnd returns an interceptor that calls onEnd exactly once per call with its final status and duration. */
export function onCallEnd(onEnd: (end: CallEnd) => void): ServerInterceptor {
  return (descriptor, call) => {
    const started = process.hrtime.bigint();
    let request: RequestContext | undefined;
    let ended = false;
    const end = (code: status, details: string): void => {
      if (ended) return;
      ended = true;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      onEnd({ path: descriptor.path, code, details, seconds, request });
    };
    return new ServerInterceptingCall(call, {
      start: (next) =>
        next({
          onReceiveMetadata: (metadata, nextMetadata) => {
            request = currentRequest();
            nextMetadata(metadata);
          },
          onCancel: () => {
            const expired = Date.now() >= deadlineMs(call.getDeadline());
            end(
              expired ? status.DEADLINE_EXCEEDED : status.CANCELLED,
              expired ? 'deadline exceeded' : 'cancelled',
            );
          },
        }),
      sendStatus: (answer, next) => {
        end(answer.code, answer.details ?? '');
        next(answer);
      },
    });
  };
}
