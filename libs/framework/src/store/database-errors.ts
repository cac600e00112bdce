// What a database failure means to the caller. A handler lets pg errors through; the server adapter asks this file
// whether one says "your value cannot be stored" (the caller's fault: INVALID_ARGUMENT) or "the database cannot be
// reached or is out of resources" (the service is unhealthy: UNAVAILABLE, which callers' breakers count and retry).
// Everything else stays unexpected, and so INTERNAL: a bug. Duck-typed like unique-violation.ts.
import { type DomainError, InvalidArgumentError, UnavailableError } from '../errors';

// SQLSTATEs (https://www.postgresql.org/docs/current/errcodes-appendix.html) that say the server is going away or
// has no room for us: admin/crash/cannot-connect-now shutdowns, too many connections, disk full, out of memory.
const UNAVAILABLE_SQLSTATES = new Set([
  '57P01',
  '57P02',
  '57P03',
  '53000',
  '53100',
  '53200',
  '53300',
  '53400',
]);

// Socket errors of a connection to the database (Node's errno codes on the error pg passes through).
const CONNECTION_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

// pg and pg-pool report a lost or unobtainable connection with plain Errors and these messages.
const CONNECTION_MESSAGES = [
  /^Connection terminated/,
  /timeout exceeded when trying to connect/,
  /Client has encountered a connection error and is not queryable/,
  /Cannot use a pool after calling end on the pool/,
];

/** isDatabaseError tells a PostgreSQL error response (pg's DatabaseError: a SQLSTATE and a severity). */
export function isDatabaseError(error: unknown): error is Error & { code: string; severity: string } {
  const fields = error as { code?: unknown; severity?: unknown } | null;
  return (
    error instanceof Error &&
    typeof fields?.code === 'string' &&
    /^[0-9A-Z]{5}$/.test(fields.code) &&
    !!fields.severity
  );
}

/**
 * translateDatabaseError returns the DomainError a database failure means to the caller, or undefined when `error` is
 * not one of the failures it knows (it then stays an unexpected error, answered INTERNAL):
 * - SQLSTATE class 22 (data exception: a NUL in text 22021/22P05, a number out of range, an invalid representation)
 *   -> INVALID_ARGUMENT: the request carried a value the database refuses;
 * - class 08 (connection exception), 57P01-57P03 (shutdown), class 53 (insufficient resources), socket errors and
 *   pg's lost-connection and pool-timeout errors -> UNAVAILABLE: the service cannot work right now.
 */
export function translateDatabaseError(error: unknown): DomainError | undefined {
  if (isDatabaseError(error)) {
    if (error.code.startsWith('22')) {
      return new InvalidArgumentError('a value in the request cannot be stored', { cause: error });
    }
    if (error.code.startsWith('08') || UNAVAILABLE_SQLSTATES.has(error.code)) {
      return new UnavailableError('database unavailable', { cause: error });
    }
    return undefined;
  }
  if (!(error instanceof Error)) return undefined;
  const errno = (error as NodeJS.ErrnoException).code;
  if (
    (typeof errno === 'string' && CONNECTION_ERRNOS.has(errno)) ||
    CONNECTION_MESSAGES.some((pattern) => pattern.test(error.message))
  ) {
    return new UnavailableError('database unavailable', { cause: error });
  }
  return undefined;
}
