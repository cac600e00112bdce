// Deadline enforcement. grpc-js already answers DEADLINE_EXCEEDED when the caller's deadline passes (and the
// context interceptor then aborts the request's signal); this adds the server's own ceiling for callers that send
// no deadline or a longer one. It sits next to the handler, so its answer is mapped, logged and counted like any other.
import { Metadata, ServerInterceptingCall, status, type ServerInterceptor } from '@grpc/grpc-js';
import { DeadlineExceededError } from '../../errors';
import { currentRequest } from '../../telemetry';
import { abortRequest } from '../../telemetry/request-context';
import { deadlineMs } from '../paths';

/**
 * deadlineInterceptor answers DEADLINE_EXCEEDED and aborts the handler once a unary call runs longer than maxMs
 * (0: off). Streams (health Watch, reflection) are meant to stay open and are left alone.
 */
export function deadlineInterceptor(maxMs: number): ServerInterceptor {
  return (descriptor, call) => {
    if (maxMs <= 0 || descriptor.requestStream || descriptor.responseStream)
      return new ServerInterceptingCall(call);
    let timer: NodeJS.Timeout | undefined;
    let answered = false;
    const stopTimer = (): void => {
      clearTimeout(timer);
      timer = undefined;
    };
    return new ServerInterceptingCall(call, {
      start: (next) =>
        next({
          onReceiveMetadata: (metadata, nextMetadata) => {
            const request = currentRequest();
            const callerLeft = deadlineMs(call.getDeadline()) - Date.now();
            if (callerLeft > maxMs) {
              timer = setTimeout(() => {
                timer = undefined;
                if (answered) return;
                answered = true;
                const expired = new DeadlineExceededError();
                if (request) abortRequest(request, expired);
                call.sendStatus({
                  code: status.DEADLINE_EXCEEDED,
                  details: expired.message,
                  metadata: new Metadata(),
                });
              }, maxMs);
            }
            nextMetadata(metadata);
          },
          onCancel: () => {
            stopTimer();
            answered = true;
          },
        }),
      // Once the ceiling has answered, whatever the abandoned handler sends later is dropped.
      sendMessage: (message, next) => {
        if (!answered) next(message);
      },
      sendStatus: (answer, next) => {
        stopTimer();
        if (answered) return;
        answered = true;
        next(answer);
      },
    });
  };
}
