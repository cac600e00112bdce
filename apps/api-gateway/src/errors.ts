// Every failure the gateway answers, in the contract's shape: {"error": {code, message, details?}}, with the HTTP
// status that follows the code. gRPC statuses from downstream, Fastify's own errors (validation, body limit, media
// type, malformed JSON, unknown route) and anything unexpected all end here.
import {
  INTERNAL_MESSAGE,
  isBreakerOpenError,
  isSafeToRelay,
  isServiceError,
  readErrorDetails,
} from '@blog/framework/core';
import { status } from '@grpc/grpc-js';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** ErrorCode is a gRPC status name, plus the two HTTP-only codes of the contract. */
export type ErrorCode =
  | 'INVALID_ARGUMENT'
  | 'UNAUTHENTICATED'
  | 'PERMISSION_DENIED'
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'FAILED_PRECONDITION'
  | 'ABORTED'
  | 'OUT_OF_RANGE'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'RESOURCE_EXHAUSTED'
  | 'CANCELLED'
  | 'INTERNAL'
  | 'UNIMPLEMENTED'
  | 'UNAVAILABLE'
  | 'DEADLINE_EXCEEDED';

/** HTTP_STATUS is the contract's table; codes it does not list follow google.rpc.Code's HTTP mapping. */
export const HTTP_STATUS: Readonly<Record<ErrorCode, number>> = {
  INVALID_ARGUMENT: 400,
  OUT_OF_RANGE: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  FAILED_PRECONDITION: 409,
  ABORTED: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RESOURCE_EXHAUSTED: 429,
  CANCELLED: 499,
  INTERNAL: 500,
  UNIMPLEMENTED: 501,
  UNAVAILABLE: 503,
  DEADLINE_EXCEEDED: 504,
};

/** ErrorDetail names one bad field. */
export interface ErrorDetail {
  readonly field: string;
  readonly message: string;
}

/** ApiErrorOptions are the optional parts of an ApiError. */
export interface ApiErrorOptions {
  readonly details?: readonly ErrorDetail[];
  /** retryAfterSeconds becomes the Retry-After header (429, 503). */
  readonly retryAfterSeconds?: number;
  /** cause is logged, never sent. */
  readonly cause?: unknown;
}

/** ApiError is a failure with a message that is safe to send. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly details: readonly ErrorDetail[];
  readonly retryAfterSeconds?: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: ApiErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.details = options.details ?? [];
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  /** statusCode is the HTTP status of the code (Fastify reads this name too). */
  get statusCode(): number {
    return HTTP_STATUS[this.code];
  }
}

/** DEFAULT_RETRY_AFTER_SECONDS is sent with a 503 or a downstream 429 when nothing better is known. */
export const DEFAULT_RETRY_AFTER_SECONDS = 1;

/** fromGrpcError turns a failed downstream call into the ApiError the client sees. */
export function fromGrpcError(error: Parameters<typeof readErrorDetails>[0] & Error): ApiError {
  if (isBreakerOpenError(error)) {
    return new ApiError('UNAVAILABLE', 'service temporarily unavailable', {
      retryAfterSeconds: Math.max(1, Math.ceil(error.retryAfterMs / 1000)),
      cause: error,
    });
  }
  const decoded = readErrorDetails(error);
  const name = decoded.codeName as ErrorCode;
  // Business outcomes whose message our own services already made safe are relayed as they are.
  if (isSafeToRelay(error.code)) {
    const details = decoded.violations.map((v) => ({ field: camelPath(v.field), message: v.message }));
    // The contract's 429 always says when to come back (a service out of capacity, e.g. auth's password hashing).
    const retryAfterSeconds =
      error.code === status.RESOURCE_EXHAUSTED
        ? (retryAfterOf(error) ?? DEFAULT_RETRY_AFTER_SECONDS)
        : undefined;
    return new ApiError(name, decoded.message || name.toLowerCase(), {
      details,
      retryAfterSeconds,
      cause: error,
    });
  }
  switch (error.code) {
    case status.UNAVAILABLE:
      return new ApiError('UNAVAILABLE', 'service unavailable', {
        retryAfterSeconds: retryAfterOf(error) ?? DEFAULT_RETRY_AFTER_SECONDS,
        cause: error,
      });
    case status.DEADLINE_EXCEEDED:
      return new ApiError('DEADLINE_EXCEEDED', 'deadline exceeded', { cause: error });
    case status.CANCELLED:
      return new ApiError('CANCELLED', 'cancelled', { cause: error });
    default:
      // INTERNAL, UNKNOWN, DATA_LOSS, ...: a bug somewhere; the message may name tables or peers.
      return new ApiError('INTERNAL', INTERNAL_MESSAGE, { cause: error });
  }
}

/** toApiError classifies anything thrown while serving a request. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (isServiceError(error)) return fromGrpcError(error);
  const fastify = error as Partial<FastifyError> | null;
  if (fastify?.validation) {
    return new ApiError('INVALID_ARGUMENT', 'request validation failed', {
      details: fastify.validation.map((issue) => validationDetail(issue, fastify.validationContext)),
      cause: error,
    });
  }
  switch (fastify?.statusCode) {
    case 400:
      return new ApiError('INVALID_ARGUMENT', clientMessage(fastify), { cause: error });
    case 404:
      return new ApiError('NOT_FOUND', 'not found', { cause: error });
    case 413:
      return new ApiError('PAYLOAD_TOO_LARGE', 'request body is larger than 1 MiB', { cause: error });
    case 415:
      return new ApiError('UNSUPPORTED_MEDIA_TYPE', 'request body must be application/json', {
        cause: error,
      });
    case 503:
      return new ApiError('UNAVAILABLE', 'service unavailable', {
        retryAfterSeconds: DEFAULT_RETRY_AFTER_SECONDS,
        cause: error,
      });
    default:
      return new ApiError('INTERNAL', INTERNAL_MESSAGE, { cause: error });
  }
}

/** errorBody is the JSON body of an ApiError. */
export function errorBody(error: ApiError): {
  error: { code: string; message: string; details?: ErrorDetail[] };
} {
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(error.details.length > 0 ? { details: [...error.details] } : {}),
    },
  };
}

/** sendError writes an ApiError: status, Retry-After, WWW-Authenticate for 401, the JSON body. */
export function sendError(reply: FastifyReply, error: ApiError): FastifyReply {
  if (error.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.retryAfterSeconds));
  if (error.code === 'UNAUTHENTICATED') reply.header('www-authenticate', 'Bearer');
  return reply.code(error.statusCode).type('application/json; charset=utf-8').send(errorBody(error));
}

/** registerErrorHandling makes every error and the unknown-route answer follow the contract. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const apiError = toApiError(error);
    if (isBreakerOpenError(apiError.cause)) {
      // Expected while a breaker is open, possibly for every request: one short line, no stack.
      request.log.warn(
        { code: apiError.code, endpoint: apiError.cause.endpoint },
        'request refused: circuit open',
      );
    } else if (apiError.statusCode >= 500) {
      request.log.error({ err: apiError.cause ?? error, code: apiError.code }, 'request failed');
    } else {
      request.log.info({ code: apiError.code, reason: apiError.message }, 'request refused');
    }
    return sendError(reply, apiError);
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, new ApiError('NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`)),
  );
}

interface ValidationIssue {
  readonly instancePath?: string;
  readonly keyword?: string;
  readonly params?: Record<string, unknown>;
  readonly message?: string;
}

function validationDetail(issue: ValidationIssue, context?: string): ErrorDetail {
  const base = jsonPointerToPath(issue.instancePath ?? '');
  const child = (name: unknown) => (base ? `${base}.${String(name)}` : String(name));
  switch (issue.keyword) {
    case 'required':
      return { field: child(issue.params?.['missingProperty']), message: 'is required' };
    case 'additionalProperties':
      return { field: child(issue.params?.['additionalProperty']), message: 'is not a known field' };
    default:
      return { field: base || context || 'body', message: issue.message ?? 'is invalid' };
  }
}

/** '/tags/2' -> 'tags[2]', '/author/name' -> 'author.name'. */
function jsonPointerToPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path ? `${path}.${part}` : part), '');
}

/** Proto field paths are snake_case; the REST contract is camelCase: 'blog_slug' -> 'blogSlug'. */
function camelPath(field: string): string {
  return field.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

function retryAfterOf(error: { metadata?: { get(key: string): unknown[] } | null }): number | undefined {
  const value = Number(error.metadata?.get('retry-after')[0]);
  return Number.isFinite(value) && value > 0 ? Math.ceil(value) : undefined;
}

// Fastify's 400s (malformed JSON, empty JSON body, bad content length) carry messages written for clients.
function clientMessage(error: Partial<FastifyError>): string {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return 'request body is not valid JSON';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'request body is empty but its content type is application/json';
    default:
      return error.message ?? 'bad request';
  }
}
