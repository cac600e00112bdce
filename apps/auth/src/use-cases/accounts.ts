// Account use cases: sign-up (the sign-up saga's first step), reading an account, and starting the deletion saga.
import { randomUUID } from 'node:crypto';
import {
  AlreadyExistsError,
  FailedPreconditionError,
  NotFoundError,
  withEvents,
  type Outbox,
  type Store,
  newSagaId,
} from '@blog/framework';
import { AccountCreated, AccountDeletionRequested } from '@blog/proto';
import { deletionVerdict, type Account, type SignUp } from '../domain/account';
import { DELETION_PARTICIPANTS } from '../domain/deletion-saga';
import type { PasswordHasher } from '../passwords/password-hasher';
import {
  findAccount,
  findLiveAccountByEmail,
  insertAccount,
  lockAccount,
  transitionAccount,
} from '../repository/account.repository';
import { startDeletionSaga } from '../repository/deletion-saga.repository';
import { revokeAccountTokens } from '../repository/refresh-token.repository';

/** AccountsDeps are what the account use cases need. */
export interface AccountsDeps {
  readonly store: Store;
  readonly outbox: Outbox;
  readonly hasher: PasswordHasher;
}

const emailTaken = () =>
  new AlreadyExistsError('an account with this email already exists', {
    violations: [{ field: 'email', message: 'is already taken' }],
    reason: 'EMAIL_TAKEN',
  });

/** Accounts runs the account use cases. */
export class Accounts {
  constructor(private readonly deps: AccountsDeps) {}

  /** create stores a PENDING account and emits AccountCreated, starting a new sign-up saga. */
  async create(signUp: SignUp): Promise<Account> {
    const { store, outbox, hasher } = this.deps;
    // Checked before hashing so a taken email costs no argon2 work; the unique index still settles races.
    if (await findLiveAccountByEmail(store, signUp.email)) throw emailTaken();
    const passwordHash = await hasher.hash(signUp.password);
    const accountId = randomUUID();
    const sagaId = newSagaId();
    return withEvents(store, outbox, async ({ tx, emit }) => {
      const account = await insertAccount(tx, {
        id: accountId,
        email: signUp.email,
        passwordHash,
        nickname: signUp.nickname,
        blogSlug: signUp.blogSlug,
        signupSagaId: sagaId,
      });
      if (!account) throw emailTaken();
      const data = { accountId, nickname: signUp.nickname, blogSlug: signUp.blogSlug };
      await emit(AccountCreated, accountId, data, { sagaId });
      return account;
    });
  }

  /** get returns an account, or NOT_FOUND. */
  async get(accountId: string): Promise<Account> {
    const account = await findAccount(this.deps.store, accountId);
    if (!account) throw new NotFoundError('account not found');
    return account;
  }

  /**
   * requestDeletion moves an ACTIVE account to DELETING, revokes its refresh tokens, records the saga's pending
   * participants and emits AccountDeletionRequested (the pivot). A DELETING account is returned as it is.
   */
  async requestDeletion(accountId: string): Promise<Account> {
    const { store, outbox } = this.deps;
    return withEvents(store, outbox, async ({ tx, emit }) => {
      const account = await lockAccount(tx, accountId);
      if (!account) throw new NotFoundError('account not found');
      const verdict = deletionVerdict(account.status);
      if (verdict === 'already-started') return account;
      if (verdict === 'refuse') {
        throw new FailedPreconditionError(
          `account is ${account.status}: only an ACTIVE account can be deleted`,
        );
      }
      const deleting = await transitionAccount(tx, accountId, ['ACTIVE'], 'DELETING');
      if (!deleting) throw new Error(`account ${accountId} changed state under its lock`);
      await revokeAccountTokens(tx, accountId);
      const sagaId = newSagaId();
      await startDeletionSaga(tx, accountId, sagaId, DELETION_PARTICIPANTS);
      await emit(AccountDeletionRequested, accountId, { accountId }, { sagaId });
      return deleting;
    });
  }
}
