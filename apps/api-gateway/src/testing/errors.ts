// Test support: errors a fake handler throws to answer with a status the framework's domain errors do not cover.
import { DomainError, UnavailableError } from '@blog/framework/core';
import { status } from '@grpc/grpc-js';

/** InternalError is an unexpected error: the framework answers INTERNAL and hides its message. */
export class InternalError extends Error {}

/**
 * LeakyInternalError answers INTERNAL with its message on the wire (a DomainError keeps its message): a careless
 * service; the gateway must still not pass the message on.
 */
export class LeakyInternalError extends DomainError {
  readonly code = status.INTERNAL;
}

export { UnavailableError };
