// All SQL on the account table. State changes are conditional updates (`where status = any($from)`), so two saga
// steps racing for one account cannot both win, and a late event finds nothing to change.
import type { Queryable } from '@blog/framework';
import type { Account, AccountStatus, RejectionReason } from '../domain/account';

interface AccountRow {
  id: string;
  email: string;
  password_hash: string;
  nickname: string;
  blog_slug: string;
  status: AccountStatus;
  reason: RejectionReason | null;
  signup_saga_id: string;
  created_at: Date;
}

/** StoredAccount is an account with the id of the saga that created it. */
export interface StoredAccount extends Account {
  readonly signupSagaId: string;
}

/** NewAccount is what sign-up stores. */
export interface NewAccount {
  readonly id: string;
  readonly email: string;
  readonly passwordHash: string;
  readonly nickname: string;
  readonly blogSlug: string;
  readonly signupSagaId: string;
}

const COLUMNS = 'id, email, password_hash, nickname, blog_slug, status, reason, signup_saga_id, created_at';
const RETIRED = `('REJECTED', 'DELETED')`;

function toAccount(row: AccountRow): StoredAccount {
  return {
    id: row.id,
    email: row.email,
    passwordHash: row.password_hash,
    nickname: row.nickname,
    blogSlug: row.blog_slug,
    status: row.status,
    reason: row.reason,
    signupSagaId: row.signup_saga_id,
    createdAt: row.created_at,
  };
}

/** insertAccount stores a PENDING account; undefined when its email belongs to a live account already. */
export async function insertAccount(db: Queryable, account: NewAccount): Promise<StoredAccount | undefined> {
  const { rows } = await db.query<AccountRow>(
    `insert into account (id, email, password_hash, nickname, blog_slug, status, signup_saga_id)
     values ($1, $2, $3, $4, $5, 'PENDING', $6)
     on conflict do nothing
     returning ${COLUMNS}`,
    [
      account.id,
      account.email,
      account.passwordHash,
      account.nickname,
      account.blogSlug,
      account.signupSagaId,
    ],
  );
  return rows[0] && toAccount(rows[0]);
}

/** findAccount returns an account by id. */
export async function findAccount(db: Queryable, id: string): Promise<StoredAccount | undefined> {
  const { rows } = await db.query<AccountRow>(`select ${COLUMNS} from account where id = $1`, [id]);
  return rows[0] && toAccount(rows[0]);
}

/** lockAccount reads an account and locks it until the transaction ends (select ... for update). */
export async function lockAccount(db: Queryable, id: string): Promise<StoredAccount | undefined> {
  const { rows } = await db.query<AccountRow>(`select ${COLUMNS} from account where id = $1 for update`, [
    id,
  ]);
  return rows[0] && toAccount(rows[0]);
}

/**
 * statusForShare reads an account's status under a share lock: a concurrent state change waits for this
 * transaction, or this read waits for it and sees its result.
 */
export async function statusForShare(db: Queryable, id: string): Promise<AccountStatus | undefined> {
  const { rows } = await db.query<{ status: AccountStatus }>(
    'select status from account where id = $1 for share',
    [id],
  );
  return rows[0]?.status;
}

/** findLiveAccountByEmail returns the account that holds an email (not REJECTED or DELETED), if any. */
export async function findLiveAccountByEmail(
  db: Queryable,
  email: string,
): Promise<StoredAccount | undefined> {
  const { rows } = await db.query<AccountRow>(
    `select ${COLUMNS} from account where lower(email) = lower($1) and status not in ${RETIRED}`,
    [email],
  );
  return rows[0] && toAccount(rows[0]);
}

/**
 * transitionAccount moves an account from one of `from` to `to` (setting or clearing the rejection reason) and
 * returns it; undefined when the account is not in one of those states (or does not exist).
 */
export async function transitionAccount(
  db: Queryable,
  id: string,
  from: readonly AccountStatus[],
  to: AccountStatus,
  reason: RejectionReason | null = null,
): Promise<StoredAccount | undefined> {
  const { rows } = await db.query<AccountRow>(
    `update account set status = $3, reason = $4, updated_at = now()
     where id = $1 and status = any($2::text[])
     returning ${COLUMNS}`,
    [id, from, to, reason],
  );
  return rows[0] && toAccount(rows[0]);
}
