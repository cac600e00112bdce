// The deletion saga's auth steps on the real stack: RequestAccountDeletion (the pivot) and the fan-in of the four
// participants' reports, with duplicated, repeated, late and simultaneous reports.
// Other services on the shared stack react to AccountDeletionRequested and may report too; the fan-in tests use
// DELETING accounts seeded without that event, so the test alone decides who reports when.
import { randomUUID } from 'node:crypto';
import { auth } from '@blog/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DELETION_PARTICIPANTS } from './domain/deletion-saga';
import { findDeletionSaga } from './repository/deletion-saga.repository';
import { failureOf, must, waitFor } from '@blog/testing';
import { deletionReports, seedAccount, signUp } from './testing/accounts';
import { startAuth, type AuthHarness } from './testing/harness';

const RECORDED = 'deletion report recorded';
const IGNORED = 'deletion report ignored: no running deletion saga waits for it';
const COMPLETE = 'deletion saga complete: account DELETED';
const DUPLICATE = 'duplicate event skipped';

describe('auth: account deletion saga', () => {
  let h: AuthHarness;
  beforeAll(async () => {
    h = await startAuth();
  });
  afterAll(() => h?.stop());

  const statusOf = async (accountId: string) =>
    must((await h.client.getAccount({ accountId })).account).status;
  const handled = (messageId: string) =>
    waitFor(`report ${messageId} handled`, () =>
      h.logs.lines.find(
        (l) => l.messageId === messageId && [RECORDED, IGNORED, COMPLETE].includes(String(l.msg)),
      ),
    );

  it('refuses malformed and unknown ids, and accounts that are not ACTIVE', async () => {
    expect((await failureOf(h.client.requestAccountDeletion({ accountId: 'x' }))).codeName).toBe(
      'INVALID_ARGUMENT',
    );
    expect((await failureOf(h.client.requestAccountDeletion({ accountId: randomUUID() }))).codeName).toBe(
      'NOT_FOUND',
    );
    const { accountId } = await seedAccount(h, 'PENDING');
    expect((await failureOf(h.client.requestAccountDeletion({ accountId }))).codeName).toBe(
      'FAILED_PRECONDITION',
    );
  });

  it('RequestAccountDeletion: DELETING, tokens dead, saga recorded, AccountDeletionRequested once', async () => {
    const active = await seedAccount(h, 'ACTIVE');
    const { accountId } = active;
    const session = must((await h.client.login({ email: active.email, password: active.password })).tokens);

    const { account } = await h.client.requestAccountDeletion({ accountId });
    expect(must(account).status).toBe(auth.AccountStatus.ACCOUNT_STATUS_DELETING);
    const requested = await h.emitted.next('AccountDeletionRequested', accountId);
    expect(requested.payload).toMatchObject({ accountId });
    const sagaId = must(requested.sagaId);
    expect(sagaId).toMatch(/^[0-9a-f-]{36}$/);
    expect(sagaId).not.toBe(active.sagaId);

    // A second request answers the DELETING account and starts nothing.
    expect(must((await h.client.requestAccountDeletion({ accountId })).account).status).toBe(
      auth.AccountStatus.ACCOUNT_STATUS_DELETING,
    );
    // From the pivot on, the account's refresh tokens are revoked and it cannot log in.
    const refresh = await failureOf(h.client.refresh({ refreshToken: session.refreshToken }));
    expect(refresh.codeName).toBe('UNAUTHENTICATED');
    const login = await failureOf(h.client.login({ email: active.email, password: active.password }));
    expect(login).toMatchObject({ codeName: 'UNAUTHENTICATED', message: 'the account is DELETING' });
    // Every participant is either still pending or has reported (real services on the stack may already have).
    const saga = must(await findDeletionSaga(h.store, accountId));
    expect(saga.sagaId).toBe(sagaId);
    expect([...saga.pending, ...Object.keys(saga.reported)].sort()).toEqual(
      [...DELETION_PARTICIPANTS].sort(),
    );

    // Finish the saga ourselves: AccountDeleted is a later event of the same key, so a second
    // AccountDeletionRequested would show up before it.
    for (const report of Object.values(deletionReports(accountId, sagaId))) await h.bus.publish(report);
    await h.emitted.next('AccountDeleted', accountId);
    expect(h.emitted.events.filter((e) => e.key === accountId).map((e) => e.type)).toEqual([
      'AccountDeletionRequested',
      'AccountDeleted',
    ]);
  });

  it('moves DELETING -> DELETED once all four participants reported; repeats and late reports change nothing', async () => {
    const deleting = await seedAccount(h, 'DELETING');
    const { accountId, sagaId } = deleting;
    const reports = deletionReports(accountId, sagaId);
    for (const participant of ['user', 'blog', 'subscribe'] as const) {
      await h.bus.publish(reports[participant]);
      await h.logs.next(RECORDED, { messageId: reports[participant].id });
      // RECORDED is written inside the handler's transaction; the inbox's line comes after the commit.
      await h.logs.next('event processed', { messageId: reports[participant].id });
      expect(await statusOf(accountId)).toBe(auth.AccountStatus.ACCOUNT_STATUS_DELETING);
    }
    expect(must(await findDeletionSaga(h.store, accountId)).pending).toEqual(['visitor']);

    // The same record again, then the same participant's report again under a new id: neither counts twice.
    await h.bus.publish(reports.user);
    await h.logs.next(DUPLICATE, { messageId: reports.user.id });
    const repeated = deletionReports(accountId, sagaId).user;
    await h.bus.publish(repeated);
    await h.logs.next(IGNORED, { messageId: repeated.id });
    expect(await statusOf(accountId)).toBe(auth.AccountStatus.ACCOUNT_STATUS_DELETING);

    await h.bus.publish(reports.visitor);
    const deleted = await h.emitted.next('AccountDeleted', accountId);
    expect(deleted.sagaId).toBe(sagaId);
    expect(deleted.payload).toMatchObject({ accountId });
    expect(await statusOf(accountId)).toBe(auth.AccountStatus.ACCOUNT_STATUS_DELETED);
    const saga = must(await findDeletionSaga(h.store, accountId));
    expect(saga.pending).toEqual([]);
    expect(Object.keys(saga.reported).sort()).toEqual(['blog', 'subscribe', 'user', 'visitor']);
    expect(saga.completedAt).toBeInstanceOf(Date);

    // A late report after the end is a no-op.
    const late = deletionReports(accountId, sagaId).blog;
    await h.bus.publish(late);
    await h.logs.next(IGNORED, { messageId: late.id });
    expect(await statusOf(accountId)).toBe(auth.AccountStatus.ACCOUNT_STATUS_DELETED);
    expect(h.emitted.all('AccountDeleted', accountId)).toHaveLength(1);

    // A DELETED account: no login (the generic answer), no second deletion, and its email is free again.
    const gone = await failureOf(h.client.login({ email: deleting.email, password: deleting.password }));
    expect(gone).toMatchObject({ codeName: 'UNAUTHENTICATED', message: 'invalid email or password' });
    expect((await failureOf(h.client.requestAccountDeletion({ accountId }))).codeName).toBe(
      'FAILED_PRECONDITION',
    );
    await h.client.createAccount({ ...signUp(), email: deleting.email });
  });

  it('finishes exactly once when the four reports arrive at the same time', async () => {
    const { accountId, sagaId } = await seedAccount(h, 'DELETING');
    const reports = Object.values(deletionReports(accountId, sagaId));
    await Promise.all(reports.map((report) => h.bus.publish(report)));

    await h.emitted.next('AccountDeleted', accountId);
    const outcomes = await Promise.all(reports.map((report) => handled(must(report.id))));
    // Three were recorded (a path that emits nothing), one completed the saga.
    expect(outcomes.filter((l) => l.msg === RECORDED)).toHaveLength(3);
    expect(outcomes.filter((l) => l.msg === COMPLETE)).toHaveLength(1);
    expect(await statusOf(accountId)).toBe(auth.AccountStatus.ACCOUNT_STATUS_DELETED);
    expect(h.emitted.all('AccountDeleted', accountId)).toHaveLength(1);
  });

  it('ignores reports for accounts without a running deletion saga, and dead-letters a malformed one at once', async () => {
    const { accountId } = await seedAccount(h, 'ACTIVE');
    const reports = Object.values(deletionReports(accountId, randomUUID()));
    const malformed = deletionReports('x', 'y').blog;
    for (const report of [...reports, malformed]) await h.bus.publish(report);
    for (const report of reports) expect((await handled(must(report.id))).msg).toBe(IGNORED);
    const dead = await h.logs.next('record dead-lettered', { messageId: must(malformed.id) });
    expect(dead).toMatchObject({ reason: 'undecodable', attempts: 0 });
    expect(await statusOf(accountId)).toBe(auth.AccountStatus.ACCOUNT_STATUS_ACTIVE);
  });
});
