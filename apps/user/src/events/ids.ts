// Ids from events are checked before they reach SQL: a malformed one names no profile (a logged no-op), where
// PostgreSQL would reject it and turn one bad record into retries and a dead letter.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** isUuid tells whether a value can be a user id. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
