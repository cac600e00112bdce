// Schemas every route shares: the error body, ids, paging, and the proto -> REST conversions of enums and times.
import { charsetPatternOf, type TextRule } from '@blog/proto';
import { type Static, type TSchema, Type } from 'typebox';

/** stringEnum is a string schema limited to `values` (typed as string: the mappers produce names from proto enums). */
export function stringEnum<const V extends readonly string[]>(
  values: V,
  options: { description?: string } = {},
) {
  return Type.Unsafe<string>({ type: 'string', enum: [...values], ...options });
}

/**
 * ruleString is the string schema of a shared field rule (@blog/proto FieldRules): its bounds and alphabet, so the
 * gateway and the services judge a field by the same numbers.
 */
export function ruleString(rule: TextRule) {
  return Type.String({
    ...(rule.minLength > 0 ? { minLength: rule.minLength } : {}),
    maxLength: rule.maxLength,
    ...(rule.charset ? { pattern: charsetPatternOf(rule) } : {}),
  });
}

/** Uuid is an id path parameter or field. */
export const Uuid = Type.String({ format: 'uuid', description: 'a UUID' });

/** Timestamp is an ISO-8601 time in UTC. */
export const Timestamp = Type.String({ format: 'date-time', description: 'ISO-8601, UTC' });

/** ErrorBody is the one shape of every failure. */
export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'the gRPC status name, e.g. INVALID_ARGUMENT' }),
      message: Type.String(),
      details: Type.Optional(
        Type.Array(Type.Object({ field: Type.String(), message: Type.String() }), {
          description: 'one entry per bad field',
        }),
      ),
    }),
  },
  { title: 'Error' },
);

/** ERROR_STATUSES are the error statuses a route can document, each with the contract's codes and causes. */
export const ERROR_STATUSES = {
  400: 'INVALID_ARGUMENT: validation failed, malformed JSON or a bad parameter; `details` name the fields',
  401: 'UNAUTHENTICATED: missing, invalid or expired token, bad credentials, or an account that is not usable',
  403: 'PERMISSION_DENIED: authenticated, but not the owner',
  404: 'NOT_FOUND: unknown id',
  409: 'ALREADY_EXISTS (a unique value is taken) or FAILED_PRECONDITION (locked by a saga, or in the wrong state)',
  413: 'PAYLOAD_TOO_LARGE: the (decoded) body is over 1 MiB',
  415: 'UNSUPPORTED_MEDIA_TYPE: a body that is not UTF-8 JSON, or an unsupported Content-Encoding',
  429: 'RESOURCE_EXHAUSTED: the rate limit of the client address, or a service at capacity (password hashing); retry after `Retry-After` seconds',
  500: 'INTERNAL: a bug; the message never leaks internals',
  503: 'UNAVAILABLE: a downstream service is down or its circuit is open; retry after `Retry-After` seconds',
  504: 'DEADLINE_EXCEEDED: a downstream call ran past its deadline',
} as const;

/** ErrorStatus is an HTTP status the contract maps an error code to. */
export type ErrorStatus = keyof typeof ERROR_STATUSES;

const RETRY_AFTER = {
  'Retry-After': Type.String({ pattern: '^[0-9]+$', description: 'seconds to wait before retrying' }),
};

/** BODY_ERRORS are what a route with a JSON body can answer because of the body alone. */
export const BODY_ERRORS = [400, 413, 415] as const satisfies readonly ErrorStatus[];

/** DOWNSTREAM_ERRORS are what any route that calls a service can answer when the service fails. */
export const DOWNSTREAM_ERRORS = [503, 504] as const satisfies readonly ErrorStatus[];

/**
 * errorResponses documents a route's error answers: the given statuses plus 429 (every route is rate limited) and
 * 500, each with the contract's error body (and Retry-After on 429 and 503). Fastify serializes errors with them too.
 */
export function errorResponses(...statuses: readonly ErrorStatus[]): Record<ErrorStatus, typeof ErrorBody> {
  const all = [...new Set<ErrorStatus>([...statuses, 429, 500])].sort((a, b) => a - b);
  return Object.fromEntries(
    all.map((status) => [
      status,
      Type.Object(ErrorBody.properties, {
        title: 'Error',
        description: ERROR_STATUSES[status],
        ...(status === 429 || status === 503 ? { headers: RETRY_AFTER } : {}),
      }),
    ]),
  ) as Record<ErrorStatus, typeof ErrorBody>;
}

/** NoContent is a 204: no body, so the document declares no content (fastify-swagger omits it for type null). */
export const NoContent = Type.Unsafe<void>({ type: 'null', description: 'no content' });

/** withHeaders documents the headers a response may carry (fastify-swagger reads `headers`; serializers ignore it). */
export function withHeaders<T extends TSchema>(schema: T, headers: Record<string, TSchema>): T {
  return { ...schema, headers };
}

/** DEFAULT_LIMIT is the page size when `limit` is absent. */
export const DEFAULT_LIMIT = 20;

/** PageQuery is `?limit&cursor`. */
export const PageQuery = Type.Object({
  // Optional in the document (a client may leave it out); the validator fills in the default.
  limit: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 100, default: DEFAULT_LIMIT, description: 'page size, 1 to 100' }),
  ),
  cursor: Type.Optional(
    Type.String({ minLength: 1, maxLength: 1024, description: 'the nextCursor of the previous page' }),
  ),
});

/** params builds a path-parameter schema of UUIDs. */
export function uuidParams<const K extends string>(...names: K[]) {
  return Type.Object(Object.fromEntries(names.map((name) => [name, Uuid])) as Record<K, typeof Uuid>);
}

/** enumName strips a proto enum's prefix: ('ACCOUNT_STATUS_PENDING', 'ACCOUNT_STATUS_') -> 'PENDING'. */
export function enumName(value: string, prefix: string): string {
  return value.startsWith(prefix) ? value.slice(prefix.length) : value;
}

/** optionalEnumName is enumName, or undefined for the UNSPECIFIED/UNRECOGNIZED values proto uses for "absent". */
export function optionalEnumName(value: string | undefined, prefix: string): string | undefined {
  if (!value) return undefined;
  const name = enumName(value, prefix);
  return name === 'UNSPECIFIED' || name === 'UNRECOGNIZED' ? undefined : name;
}

/** isoTime passes an ISO time through; the epoch stands in for one a service failed to set, so the shape holds. */
export function isoTime(value: string | undefined): string {
  return value ? new Date(value).toISOString() : new Date(0).toISOString();
}

/** cursorOrNull maps proto's empty "no next page" cursor to null. */
export function cursorOrNull(cursor: string): string | null {
  return cursor ? cursor : null;
}

/** required returns a response message's field, treating a missing one as a bug (500), not as a user error. */
export function required<T>(value: T | undefined, what: string): T {
  if (value === undefined || value === null) throw new Error(`downstream answer without ${what}`);
  return value;
}

/** Body is the static type of a schema (re-exported so routes import one module). */
export type Body<T extends TSchema> = Static<T>;
