// Mapping from anything a handler throws to the gRPC status the caller sees.
// Rule: only DomainErrors (and business statuses relayed from our own downstream services) keep their message;
// everything else becomes INTERNAL with a generic message, and the real error is for the log only.
import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { BadRequest, ErrorInfo, RpcStatus } from '@blog/proto';
import { isDomainError, type FieldViolation } from './errors';

/** STATUS_DETAILS_KEY is the trailer carrying a binary google.rpc.Status (the gRPC rich error model). */
export const STATUS_DETAILS_KEY = 'grpc-status-details-bin';
/** INTERNAL_MESSAGE is the only message a caller ever sees for an unexpected error. */
export const INTERNAL_MESSAGE = 'internal error';

const TYPE_URL_PREFIX = 'type.googleapis.com/';
/** BAD_REQUEST_TYPE_URL is the Any type URL of google.rpc.BadRequest. */
export const BAD_REQUEST_TYPE_URL = `${TYPE_URL_PREFIX}google.rpc.BadRequest`;
/** ERROR_INFO_TYPE_URL is the Any type URL of google.rpc.ErrorInfo. */
export const ERROR_INFO_TYPE_URL = `${TYPE_URL_PREFIX}google.rpc.ErrorInfo`;

// Statuses whose message a downstream service of ours already made safe: relayed as they are.
const RELAYED_CODES = new Set<status>([
  status.INVALID_ARGUMENT,
  status.NOT_FOUND,
  status.ALREADY_EXISTS,
  status.FAILED_PRECONDITION,
  status.PERMISSION_DENIED,
  status.UNAUTHENTICATED,
  status.RESOURCE_EXHAUSTED,
  status.ABORTED,
  status.OUT_OF_RANGE,
  status.UNIMPLEMENTED,
]);

/**
 * isSafeToRelay tells the statuses whose message one of our services made safe (business outcomes such as NOT_FOUND
 * or a validation failure): a caller, the gateway included, may pass such a message on as it is.
 */
export function isSafeToRelay(code: status): boolean {
  return RELAYED_CODES.has(code);
}

// Statuses relayed with their code but a generic message: grpc-js details name peers and addresses.
const GENERIC_MESSAGES: Partial<Record<status, string>> = {
  [status.UNAVAILABLE]: 'service unavailable',
  [status.DEADLINE_EXCEEDED]: 'deadline exceeded',
  [status.CANCELLED]: 'cancelled',
};

/** GrpcStatus is what a server answers: code, safe message and trailers. */
export interface GrpcStatus {
  readonly code: status;
  readonly details: string;
  readonly metadata: Metadata;
}

/** MappedError is a GrpcStatus plus whether the original error was hidden (and so must be logged). */
export interface MappedError {
  readonly status: GrpcStatus;
  readonly hidden: boolean;
}

/** ErrorDetailOptions are the rich details put into the status trailer. */
export interface ErrorDetailOptions {
  readonly violations?: readonly FieldViolation[];
  readonly reason?: string;
  readonly domain?: string;
}

/** encodeStatusDetails serialises a google.rpc.Status with BadRequest/ErrorInfo details for the trailer. */
export function encodeStatusDetails(code: status, message: string, options: ErrorDetailOptions): Buffer {
  const details = [];
  if (options.violations && options.violations.length > 0) {
    const badRequest = BadRequest.fromPartial({
      fieldViolations: options.violations.map((v) => ({ field: v.field, description: v.message })),
    });
    details.push({
      typeUrl: BAD_REQUEST_TYPE_URL,
      value: Buffer.from(BadRequest.encode(badRequest).finish()),
    });
  }
  if (options.reason) {
    const info = ErrorInfo.fromPartial({ reason: options.reason, domain: options.domain ?? '' });
    details.push({ typeUrl: ERROR_INFO_TYPE_URL, value: Buffer.from(ErrorInfo.encode(info).finish()) });
  }
  return Buffer.from(RpcStatus.encode({ code, message, details }).finish());
}

/** mapError turns any thrown value into the status to answer with; see the rule at the top of this file. */
export function mapError(error: unknown): MappedError {
  if (isDomainError(error)) {
    const metadata = new Metadata();
    if (error.violations.length > 0 || error.reason) {
      metadata.set(STATUS_DETAILS_KEY, encodeStatusDetails(error.code, error.message, error));
    }
    return { status: { code: error.code, details: error.message, metadata }, hidden: false };
  }
  if (isServiceError(error)) {
    if (RELAYED_CODES.has(error.code)) {
      const metadata = new Metadata();
      const rich = error.metadata.get(STATUS_DETAILS_KEY)[0];
      if (rich !== undefined) metadata.set(STATUS_DETAILS_KEY, rich);
      return { status: { code: error.code, details: error.details, metadata }, hidden: false };
    }
    const generic = GENERIC_MESSAGES[error.code];
    if (generic !== undefined) {
      return { status: { code: error.code, details: generic, metadata: new Metadata() }, hidden: true };
    }
  }
  return internalStatus();
}

/** internalStatus is the answer to every unexpected error. */
export function internalStatus(): MappedError {
  return {
    status: { code: status.INTERNAL, details: INTERNAL_MESSAGE, metadata: new Metadata() },
    hidden: true,
  };
}

/** toServerError wraps a GrpcStatus into the error object a grpc-js handler callback expects. */
export function toServerError(grpcStatus: GrpcStatus): ServiceError {
  return Object.assign(new Error(grpcStatus.details), grpcStatus);
}

/** isServiceError tells whether an error came out of a grpc-js client call (a status from another service). */
export function isServiceError(error: unknown): error is ServiceError {
  return (
    error instanceof Error &&
    typeof (error as Partial<ServiceError>).code === 'number' &&
    typeof (error as Partial<ServiceError>).details === 'string' &&
    (error as Partial<ServiceError>).metadata instanceof Metadata
  );
}
