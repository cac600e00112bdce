// Unit tests of the error mapping: every gRPC status to its HTTP row, safe messages, details, Retry-After.
import {
  BreakerOpenError,
  encodeStatusDetails,
  STATUS_DETAILS_KEY,
  serviceError,
} from '@blog/framework/core';
import { Metadata, status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { ApiError, errorBody, fromGrpcError, HTTP_STATUS, toApiError } from './errors';

describe('fromGrpcError', () => {
  it.each([
    [status.INVALID_ARGUMENT, 400, 'INVALID_ARGUMENT'],
    [status.UNAUTHENTICATED, 401, 'UNAUTHENTICATED'],
    [status.PERMISSION_DENIED, 403, 'PERMISSION_DENIED'],
    [status.NOT_FOUND, 404, 'NOT_FOUND'],
    [status.ALREADY_EXISTS, 409, 'ALREADY_EXISTS'],
    [status.FAILED_PRECONDITION, 409, 'FAILED_PRECONDITION'],
    [status.RESOURCE_EXHAUSTED, 429, 'RESOURCE_EXHAUSTED'],
    [status.INTERNAL, 500, 'INTERNAL'],
    [status.UNKNOWN, 500, 'INTERNAL'],
    [status.DATA_LOSS, 500, 'INTERNAL'],
    [status.UNAVAILABLE, 503, 'UNAVAILABLE'],
    [status.DEADLINE_EXCEEDED, 504, 'DEADLINE_EXCEEDED'],
    [status.UNIMPLEMENTED, 501, 'UNIMPLEMENTED'],
  ])('maps gRPC %s to HTTP %s %s', (code, http, name) => {
    const error = fromGrpcError(serviceError(code, 'from the callee'));
    expect(error.statusCode).toBe(http);
    expect(error.code).toBe(name);
  });

  it('relays business messages and hides the others', () => {
    expect(fromGrpcError(serviceError(status.NOT_FOUND, 'post not found')).message).toBe('post not found');
    expect(fromGrpcError(serviceError(status.INTERNAL, 'SELECT * FROM x')).message).toBe('internal error');
    expect(
      fromGrpcError(serviceError(status.UNAVAILABLE, 'connect ECONNREFUSED 10.0.0.7:7052')).message,
    ).toBe('service unavailable');
  });

  it('decodes field violations into camelCase details', () => {
    const metadata = new Metadata();
    metadata.set(
      STATUS_DETAILS_KEY,
      encodeStatusDetails(status.INVALID_ARGUMENT, 'bad', {
        violations: [{ field: 'blog_slug', message: 'taken' }],
      }),
    );
    const error = fromGrpcError(serviceError(status.INVALID_ARGUMENT, 'bad', metadata));
    expect(errorBody(error)).toEqual({
      error: { code: 'INVALID_ARGUMENT', message: 'bad', details: [{ field: 'blogSlug', message: 'taken' }] },
    });
  });

  it('gives UNAVAILABLE a Retry-After: the breaker time to half-open, else a default', () => {
    expect(fromGrpcError(new BreakerOpenError('user.GetUser', 7200)).retryAfterSeconds).toBe(8);
    expect(fromGrpcError(new BreakerOpenError('user.GetUser', 0)).retryAfterSeconds).toBe(1);
    expect(fromGrpcError(serviceError(status.UNAVAILABLE, 'down')).retryAfterSeconds).toBe(1);
  });

  it("gives a downstream RESOURCE_EXHAUSTED its message and a Retry-After (the callee's, else a default)", () => {
    const busy = fromGrpcError(serviceError(status.RESOURCE_EXHAUSTED, 'too many sign-ups in progress'));
    expect(busy).toMatchObject({
      statusCode: 429,
      message: 'too many sign-ups in progress',
      retryAfterSeconds: 1,
    });
    const metadata = new Metadata();
    metadata.set('retry-after', '3');
    expect(fromGrpcError(serviceError(status.RESOURCE_EXHAUSTED, 'quota', metadata)).retryAfterSeconds).toBe(
      3,
    );
    expect(fromGrpcError(serviceError(status.NOT_FOUND, 'gone')).retryAfterSeconds).toBeUndefined();
  });
});

describe('toApiError', () => {
  it('maps Fastify errors by status and validation issues to details', () => {
    expect(toApiError(Object.assign(new Error('too big'), { statusCode: 413 })).code).toBe(
      'PAYLOAD_TOO_LARGE',
    );
    expect(toApiError(Object.assign(new Error('media'), { statusCode: 415 })).code).toBe(
      'UNSUPPORTED_MEDIA_TYPE',
    );
    const validation = Object.assign(new Error('invalid'), {
      statusCode: 400,
      validationContext: 'body',
      validation: [
        { instancePath: '/tags/2', keyword: 'pattern', params: {}, message: 'must match pattern' },
        { instancePath: '', keyword: 'required', params: { missingProperty: 'title' }, message: 'x' },
        {
          instancePath: '',
          keyword: 'additionalProperties',
          params: { additionalProperty: 'x' },
          message: 'x',
        },
        { instancePath: '', keyword: 'type', params: {}, message: 'must be object' },
      ],
    });
    expect(toApiError(validation).details).toEqual([
      { field: 'tags[2]', message: 'must match pattern' },
      { field: 'title', message: 'is required' },
      { field: 'x', message: 'is not a known field' },
      { field: 'body', message: 'must be object' },
    ]);
  });

  it('turns anything else into INTERNAL with the generic message', () => {
    const error = toApiError(new TypeError("Cannot read properties of undefined (reading 'user')"));
    expect(error.code).toBe('INTERNAL');
    expect(error.message).toBe('internal error');
    expect(toApiError(new ApiError('NOT_FOUND', 'x')).code).toBe('NOT_FOUND');
  });

  it('has an HTTP status for every code of the contract table', () => {
    expect(HTTP_STATUS).toMatchObject({
      INVALID_ARGUMENT: 400,
      UNAUTHENTICATED: 401,
      PERMISSION_DENIED: 403,
      NOT_FOUND: 404,
      ALREADY_EXISTS: 409,
      FAILED_PRECONDITION: 409,
      PAYLOAD_TOO_LARGE: 413,
      UNSUPPORTED_MEDIA_TYPE: 415,
      RESOURCE_EXHAUSTED: 429,
      INTERNAL: 500,
      UNAVAILABLE: 503,
      DEADLINE_EXCEEDED: 504,
    });
  });
});
