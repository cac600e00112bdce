// The sign-up saga's auth steps on the real stack: CreateAccount -> AccountCreated, and the consumers of BlogCreated,
// UserRejected and UserDeleted(SIGNUP_REJECTED), fed as Debezium publishes them, with duplicates and late events.
// The consumer tests use accounts seeded without an AccountCreated, so that no other service on the shared stack
// takes part in their saga: the test alone plays the other side.
import { randomUUID } from 'node:crypto';
import { auth, events } from '@blog/proto';
import { failureOf, must } from '@blog/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  blogCreated,
  seedAccount,
  signUp,
  signUpThroughSaga,
  userDeleted,
  userRejected,
} from './testing/accounts';
import { startAuth, type AuthHarness } from './testing/harness';

const IGNORED = 'sign-up step ignored: the account is not PENDING';
const DUPLICATE = 'duplicate event skipped';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('auth: sign-up saga', () => {
  let h: AuthHarness;
  beforeAll(async () => {
    h = await startAuth();
  });
  afterAll(() => h?.stop());

  const status = async (accountId: string) => must((await h.client.getAccount({ accountId })).account);

  it('validates CreateAccount and names every bad field', async () => {
    const error = await failureOf(
      h.client.createAccount({ email: 'nope', password: 'short', nickname: 'a b', blogSlug: 'Bad_Slug' }),
    );
    expect(error.codeName).toBe('INVALID_ARGUMENT');
    expect(error.violations.map((v) => v.field).sort()).toEqual([
      'blogSlug',
      'email',
      'nickname',
      'password',
    ]);
  });

  it('stores a PENDING account and emits AccountCreated with a new saga id and the default blog slug', async () => {
    const request = signUp({ nickname: `It_${randomUUID().slice(0, 8)}` });
    const { account } = await h.client.createAccount(request);
    expect(account).toMatchObject({
      status: auth.AccountStatus.ACCOUNT_STATUS_PENDING,
      reason: auth.RejectionReason.REJECTION_REASON_UNSPECIFIED,
    });
    const accountId = must(account).accountId;
    expect(accountId).toMatch(UUID);
    expect((await status(accountId)).status).toBe(auth.AccountStatus.ACCOUNT_STATUS_PENDING);

    const created = await h.emitted.next('AccountCreated', accountId);
    expect(created.sagaId).toMatch(UUID);
    const payload = events.AccountCreated.fromJSON(created.payload);
    expect(payload).toMatchObject({
      accountId,
      nickname: request.nickname,
      blogSlug: request.nickname.toLowerCase().replaceAll('_', '-'),
    });
    expect(payload.meta).toMatchObject({
      eventId: created.id,
      eventType: 'AccountCreated',
      sagaId: created.sagaId,
    });

    const { rows } = await h.store.query<{ email: string; password_hash: string }>(
      'select email, password_hash from account where id = $1',
      [accountId],
    );
    expect(rows[0].email).toBe(request.email.toLowerCase());
    expect(rows[0].password_hash).toMatch(/^\$argon2id\$/);
    expect(rows[0].password_hash).not.toContain(request.password);
  });

  it('keeps a chosen blog slug', async () => {
    const request = signUp();
    request.blogSlug = `my-${randomUUID().slice(0, 8)}`;
    const { account } = await h.client.createAccount(request);
    const created = await h.emitted.next('AccountCreated', must(account).accountId);
    expect(created.payload.blogSlug).toBe(request.blogSlug);
  });

  it('refuses an email held by a live account, case-insensitively, even when sign-ups race', async () => {
    const request = signUp();
    await h.client.createAccount(request);
    const again = await failureOf(
      h.client.createAccount({ ...signUp(), email: request.email.toUpperCase() }),
    );
    expect(again.codeName).toBe('ALREADY_EXISTS');
    expect(again.violations).toEqual([{ field: 'email', message: 'is already taken' }]);

    const racing = signUp();
    const results = await Promise.allSettled(
      [0, 1, 2, 3].map((i) =>
        h.client.createAccount({ ...signUp(), email: i % 2 ? racing.email : racing.email.toLowerCase() }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  it('answers GetAccount with INVALID_ARGUMENT for a malformed id and NOT_FOUND for an unknown one', async () => {
    const malformed = await failureOf(h.client.getAccount({ accountId: 'x' }));
    expect(malformed.codeName).toBe('INVALID_ARGUMENT');
    expect(malformed.violations[0].field).toBe('accountId');
    expect((await failureOf(h.client.getAccount({ accountId: randomUUID() }))).codeName).toBe('NOT_FOUND');
  });

  it('refuses to log in a PENDING account with FAILED_PRECONDITION', async () => {
    const pending = await seedAccount(h, 'PENDING');
    const error = await failureOf(h.client.login({ email: pending.email, password: pending.password }));
    expect(error.codeName).toBe('FAILED_PRECONDITION');
    // The password still counts: a wrong one does not learn the state.
    const wrong = await failureOf(h.client.login({ email: pending.email, password: 'wrong-password' }));
    expect(wrong.codeName).toBe('UNAUTHENTICATED');
  });

  it('BlogCreated activates the account and emits AccountActivated in the same saga; duplicates and late steps change nothing', async () => {
    const { accountId, sagaId } = await seedAccount(h, 'PENDING');
    const blog = blogCreated(accountId, sagaId);
    await h.bus.publish(blog);

    const activated = await h.emitted.next('AccountActivated', accountId);
    expect(activated.sagaId).toBe(sagaId);
    expect(activated.payload).toMatchObject({ accountId });
    expect(await status(accountId)).toMatchObject({ status: auth.AccountStatus.ACCOUNT_STATUS_ACTIVE });

    // The same record again (same id): the inbox drops it.
    await h.bus.publish(blog);
    await h.logs.next(DUPLICATE, { messageId: blog.id });
    // Late steps of the saga (new ids) find the account no longer PENDING.
    const late = [
      blogCreated(accountId, sagaId),
      userRejected(accountId, sagaId),
      userDeleted(accountId, events.UserDeletionCause.USER_DELETION_CAUSE_SIGNUP_REJECTED, sagaId),
    ];
    for (const event of late) await h.bus.publish(event);
    for (const event of late) {
      expect(await h.logs.next(IGNORED, { messageId: event.id })).toMatchObject({
        accountId,
        status: 'ACTIVE',
      });
    }
    expect(await status(accountId)).toMatchObject({ status: auth.AccountStatus.ACCOUNT_STATUS_ACTIVE });

    // A later event on the same key (same partition, so later on the topic) marks the end: nothing came between.
    await h.client.requestAccountDeletion({ accountId });
    await h.emitted.next('AccountDeletionRequested', accountId);
    const types = h.emitted.events.filter((e) => e.key === accountId).map((e) => e.type);
    expect(types.slice(0, types.indexOf('AccountDeletionRequested') + 1)).toEqual([
      'AccountActivated',
      'AccountDeletionRequested',
    ]);
  });

  it('UserRejected rejects the account (NICKNAME_TAKEN) and frees its email; late and duplicate events change nothing', async () => {
    const seeded = await seedAccount(h, 'PENDING');
    const { accountId, sagaId } = seeded;
    const rejected = userRejected(accountId, sagaId);
    await h.bus.publish(rejected);

    const emitted = await h.emitted.next('AccountRejected', accountId);
    expect(emitted.sagaId).toBe(sagaId);
    expect(emitted.payload).toMatchObject({ accountId, reason: 'NICKNAME_TAKEN' });
    expect(await status(accountId)).toMatchObject({
      status: auth.AccountStatus.ACCOUNT_STATUS_REJECTED,
      reason: auth.RejectionReason.REJECTION_REASON_NICKNAME_TAKEN,
    });

    await h.bus.publish(rejected);
    await h.logs.next(DUPLICATE, { messageId: rejected.id });
    const lateBlog = blogCreated(accountId, sagaId);
    await h.bus.publish(lateBlog);
    expect(await h.logs.next(IGNORED, { messageId: lateBlog.id })).toMatchObject({ status: 'REJECTED' });
    expect(await status(accountId)).toMatchObject({ status: auth.AccountStatus.ACCOUNT_STATUS_REJECTED });

    // A rejected account cannot log in, and the answer is the generic one.
    const login = await failureOf(h.client.login({ email: seeded.email, password: seeded.password }));
    expect(login).toMatchObject({ codeName: 'UNAUTHENTICATED', message: 'invalid email or password' });
    // Its email is free for a new sign-up.
    const { account: retry } = await h.client.createAccount({ ...signUp(), email: seeded.email });
    expect(must(retry).accountId).not.toBe(accountId);
    expect(h.emitted.all('AccountRejected', accountId)).toHaveLength(1);
  });

  it('UserDeleted(SIGNUP_REJECTED) rejects the account with BLOG_SLUG_TAKEN', async () => {
    const { accountId, sagaId } = await seedAccount(h, 'PENDING');
    const deleted = userDeleted(
      accountId,
      events.UserDeletionCause.USER_DELETION_CAUSE_SIGNUP_REJECTED,
      sagaId,
    );
    await h.bus.publish(deleted);

    const emitted = await h.emitted.next('AccountRejected', accountId);
    expect(emitted.payload).toMatchObject({ accountId, reason: 'BLOG_SLUG_TAKEN' });
    expect(emitted.sagaId).toBe(sagaId);
    expect(await status(accountId)).toMatchObject({
      status: auth.AccountStatus.ACCOUNT_STATUS_REJECTED,
      reason: auth.RejectionReason.REJECTION_REASON_BLOG_SLUG_TAKEN,
    });
  });

  it('treats an event about an unknown account as a logged no-op, and dead-letters a malformed id at once', async () => {
    const unknown = blogCreated(randomUUID());
    const malformed = blogCreated('not-a-uuid');
    await h.bus.publish(malformed);
    await h.bus.publish(unknown);
    const dead = await h.logs.next('record dead-lettered', { messageId: malformed.id });
    expect(dead).toMatchObject({ reason: 'undecodable', attempts: 0 });
    expect(dead.err).toMatchObject({ message: 'BlogCreated: ownerId "not-a-uuid" is not a UUID' });
    expect(await h.logs.next(IGNORED, { messageId: unknown.id })).toMatchObject({ status: 'NOT_FOUND' });
  });

  it('ends a whole sign-up saga ACTIVE', async () => {
    const active = await signUpThroughSaga(h);
    expect(await status(active.accountId)).toMatchObject({
      status: auth.AccountStatus.ACCOUNT_STATUS_ACTIVE,
    });
  });
});
