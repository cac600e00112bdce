// Telling a duplicate from other database failures, so a repository can answer "already exists" for the one race a
// unique index settles, and let every other error through. Duck-typed: pg's DatabaseError carries these fields.

/** UNIQUE_VIOLATION is PostgreSQL's SQLSTATE for a duplicate key (class 23, integrity constraint violation). */
export const UNIQUE_VIOLATION = '23505';

/** isUniqueViolation tells whether `error` is a duplicate key, of the index or constraint `constraint` when given. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const pgError = error as { code?: unknown; constraint?: unknown };
  return pgError.code === UNIQUE_VIOLATION && (constraint === undefined || pgError.constraint === constraint);
}
