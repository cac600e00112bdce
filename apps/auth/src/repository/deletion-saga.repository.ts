// All SQL on the deletion_saga table: the fan-in of the deletion saga. Each report removes its participant from
// `pending` in one row update; the row lock orders concurrent reports, so exactly one of them sees `pending` empty.
import type { Queryable } from '@blog/framework';
import type { Participant } from '../domain/deletion-saga';

/** DeletionSagaState is one saga's progress. */
export interface DeletionSagaState {
  readonly accountId: string;
  readonly sagaId: string;
  readonly pending: string[];
  /** reported maps each participant that reported to when it did (ISO time). */
  readonly reported: Record<string, string>;
  readonly completedAt: Date | null;
}

interface SagaRow {
  account_id: string;
  saga_id: string;
  pending: string[];
  reported: Record<string, string>;
  completed_at: Date | null;
}

const COLUMNS = 'account_id, saga_id, pending, reported, completed_at';

function toState(row: SagaRow): DeletionSagaState {
  return {
    accountId: row.account_id,
    sagaId: row.saga_id,
    pending: row.pending,
    reported: row.reported,
    completedAt: row.completed_at,
  };
}

/** startDeletionSaga records a new saga with every participant pending. */
export async function startDeletionSaga(
  db: Queryable,
  accountId: string,
  sagaId: string,
  participants: readonly Participant[],
): Promise<void> {
  await db.query('insert into deletion_saga (account_id, saga_id, pending) values ($1, $2, $3)', [
    accountId,
    sagaId,
    participants,
  ]);
}

/**
 * recordReport marks a participant as done and returns the saga's new state; undefined when there is no running
 * saga for the account or that participant had already reported (a late or repeated report).
 */
export async function recordReport(
  db: Queryable,
  accountId: string,
  participant: Participant,
): Promise<DeletionSagaState | undefined> {
  const { rows } = await db.query<SagaRow>(
    `update deletion_saga
     set pending = array_remove(pending, $2), reported = reported || jsonb_build_object($2::text, now())
     where account_id = $1 and $2 = any(pending) and completed_at is null
     returning ${COLUMNS}`,
    [accountId, participant],
  );
  return rows[0] && toState(rows[0]);
}

/** completeDeletionSaga stamps the saga as finished. */
export async function completeDeletionSaga(db: Queryable, accountId: string): Promise<void> {
  await db.query('update deletion_saga set completed_at = now() where account_id = $1', [accountId]);
}

/** findDeletionSaga returns an account's deletion saga, if one was started. */
export async function findDeletionSaga(
  db: Queryable,
  accountId: string,
): Promise<DeletionSagaState | undefined> {
  const { rows } = await db.query<SagaRow>(`select ${COLUMNS} from deletion_saga where account_id = $1`, [
    accountId,
  ]);
  return rows[0] && toState(rows[0]);
}
