// Schemas every route shares: the error body, ids, paging, and the proto -> REST conversions of enums and times.
import { type Static, type TSchema, Type } from 'typebox';

/** stringEnum is a string schema limited to `values` (typed as string: the mappers produce names from proto enums). */
export function stringEnum<const V extends readonly string[]>(
  values: V,
  options: { description?: string } = {},
) {
  return Type.Unsafe<string>({ type: 'string', enum: [...values], ...options });
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

/** errorResponses lists the error body for every 4xx and 5xx answer of a route. */
export const errorResponses = {
  '4xx': ErrorBody,
  '5xx': ErrorBody,
} as const;

/** NoContent is the empty body of a 204. */
export const NoContent = Type.Unsafe<void>({ description: 'no content' });

/** PageQuery is `?limit&cursor`. */
export const PageQuery = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20, description: 'page size, 1 to 100' }),
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
