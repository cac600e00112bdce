// Enforcement of a service's AccessPolicy on every call, between the standard chain and the handler (pass it in the
// server's `extra` interceptors): the caller's identity comes from its verified client certificate, never from
// anything it sends. A refusal is PERMISSION_DENIED, logged (warn, with the caller and method) and counted in
// grpc_server_access_denied_total; the standard interceptors log and count it like any other answer too.
import { ServerInterceptingCall, status, type ServerInterceptor } from '@grpc/grpc-js';
import { Counter, type Registry } from 'prom-client';
import { splitPath } from '../server/paths';
import { currentRequest, type Logger } from '../telemetry';
import { authorize, identityOfSan, mayActFor, type AccessPolicy, type Identity } from './auth';

/** ACCESS_DENIED_METRIC counts refused calls by caller (or "none") and method. */
export const ACCESS_DENIED_METRIC = 'grpc_server_access_denied_total';

/** AccessInterceptorOptions: the policy, and where refusals are logged and counted. */
export interface AccessInterceptorOptions {
  readonly policy: AccessPolicy;
  readonly logger: Logger;
  readonly metrics: Registry;
}

/** callerOf is the identity in a call's verified peer certificate (undefined on an insecure or anonymous call). */
export function callerOf(call: {
  getAuthContext(): { sslPeerCertificate?: { subjectaltname?: string } } | null;
}): Identity | undefined {
  return identityOfSan(call.getAuthContext()?.sslPeerCertificate?.subjectaltname);
}

/** speaksForSomeone tells whether a request names a user the caller acts for (a non-empty actor_id / actorId). */
function speaksForSomeone(message: unknown): boolean {
  if (typeof message !== 'object' || message === null) return false;
  const actor =
    (message as { actorId?: unknown; actor_id?: unknown }).actorId ??
    (message as { actor_id?: unknown }).actor_id;
  return typeof actor === 'string' && actor.length > 0;
}

/** accessInterceptor refuses calls the policy does not allow, and actor_id from callers who may not speak for users. */
export function accessInterceptor(options: AccessInterceptorOptions): ServerInterceptor {
  const denied =
    (options.metrics.getSingleMetric(ACCESS_DENIED_METRIC) as
      Counter<'caller' | 'grpc_method'> | undefined) ??
    new Counter({
      name: ACCESS_DENIED_METRIC,
      help: 'gRPC calls refused by the access policy, by caller identity ("none": no certificate identity) and method.',
      labelNames: ['caller', 'grpc_method'],
      registers: [options.metrics],
    });
  return (descriptor, call) => {
    const { method } = splitPath(descriptor.path);
    const caller = callerOf(call);
    let refused = false;
    const refuse = (reason: string): void => {
      refused = true;
      denied.inc({ caller: caller?.name ?? 'none', grpc_method: method });
      const log = currentRequest()?.logger ?? options.logger.child({ method: descriptor.path });
      log.warn({ caller: caller?.uri ?? null, reason }, 'call refused by the access policy');
      call.sendStatus({ code: status.PERMISSION_DENIED, details: `permission denied: ${reason}` });
    };
    return new ServerInterceptingCall(call, {
      start: (next) =>
        next({
          onReceiveMetadata: (metadata, nextMetadata) => {
            const decision = authorize(options.policy, caller, method);
            if (decision.allowed) nextMetadata(metadata);
            else refuse(decision.reason);
          },
          onReceiveMessage: (message, nextMessage) => {
            if (refused) return;
            if (speaksForSomeone(message) && !mayActFor(options.policy, caller)) {
              refuse(`${caller?.name ?? 'this caller'} may not act for a user (actor_id)`);
              return;
            }
            nextMessage(message);
          },
          onReceiveHalfClose: (nextHalfClose) => {
            if (!refused) nextHalfClose();
          },
        }),
    });
  };
}
