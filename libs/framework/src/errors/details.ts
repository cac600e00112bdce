// The client side of the rich error model: read code, message, field violations and reason back from a failed call.
import { status, type Metadata } from '@grpc/grpc-js';
import { BadRequest, ErrorInfo, RpcStatus } from '@blog/proto';
import type { FieldViolation } from './errors';
import { BAD_REQUEST_TYPE_URL, ERROR_INFO_TYPE_URL, STATUS_DETAILS_KEY } from './status';

/** ErrorDetails is a failed call as the gateway renders it: `{code, message, details: [{field, message}]}`. */
export interface ErrorDetails {
  /** code is the numeric gRPC status. */
  readonly code: status;
  /** codeName is the gRPC status name, e.g. "INVALID_ARGUMENT". */
  readonly codeName: string;
  readonly message: string;
  readonly violations: FieldViolation[];
  readonly reason?: string;
}

/** StatusLike is the part of a grpc-js ServiceError (or StatusObject) the decoder needs. */
export interface StatusLike {
  readonly code: status;
  readonly details: string;
  readonly metadata?: Metadata | null;
}

/** statusName returns the name of a gRPC status code ("NOT_FOUND"), or "UNKNOWN" for a number out of range. */
export function statusName(code: number): string {
  return status[code] ?? 'UNKNOWN';
}

/** readErrorDetails decodes the grpc-status-details-bin trailer of a failed call, if any, into ErrorDetails. */
export function readErrorDetails(error: StatusLike): ErrorDetails {
  const violations: FieldViolation[] = [];
  let reason: string | undefined;
  let message = error.details;
  const raw = error.metadata?.get(STATUS_DETAILS_KEY)[0];
  if (raw instanceof Buffer) {
    const rich = RpcStatus.decode(raw);
    message = rich.message || message;
    for (const any of rich.details) {
      if (any.typeUrl === BAD_REQUEST_TYPE_URL) {
        for (const v of BadRequest.decode(any.value).fieldViolations) {
          violations.push({ field: v.field, message: v.description });
        }
      } else if (any.typeUrl === ERROR_INFO_TYPE_URL) {
        reason = ErrorInfo.decode(any.value).reason || undefined;
      }
    }
  }
  return {
    code: error.code,
    codeName: statusName(error.code),
    message,
    violations,
    ...(reason ? { reason } : {}),
  };
}
