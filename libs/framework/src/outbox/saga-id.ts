// Saga ids are UUIDv7 (RFC 9562, from the `uuid` package): random enough to be unique, and their first 48 bits are
// the milliseconds the saga started at. The service that writes a saga's terminal event reads its duration from the
// id alone (blog_saga_duration_seconds), with no start time to carry through every event and service.
import { v7 } from 'uuid';

/** newSagaId returns the id of a saga that starts now. */
export function newSagaId(): string {
  return v7();
}
