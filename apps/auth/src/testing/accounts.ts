// Test support (excluded from the build): unique sign-up data, saga events as their producers emit them, and
// accounts seeded straight into the database or signed up through the saga.
import { randomBytes, randomUUID } from 'node:crypto';
import { eventOf } from '@blog/framework';
import { AggregateTypes, events, type auth } from '@blog/proto';
import { must } from '@blog/testing';
import { DELETION_PARTICIPANTS } from '../domain/deletion-saga';
import { Argon2Hasher } from '../passwords/password-hasher';
import { insertAccount, transitionAccount } from '../repository/account.repository';
import { startDeletionSaga } from '../repository/deletion-saga.repository';
import type { AuthHarness } from './harness';

/** signUp returns a CreateAccount request with a unique email and nickname. */
export function signUp(overrides: Partial<auth.CreateAccountRequest> = {}): auth.CreateAccountRequest {
  const suffix = randomBytes(5).toString('hex');
  return {
    email: `it-${suffix}@Example.com`,
    password: `pw-${suffix}-secret`,
    nickname: `it_${suffix}`,
    blogSlug: '',
    ...overrides,
  };
}

/** blogCreated is the blog service's BlogCreated for an owner (key: the blog id). */
export function blogCreated(ownerId: string, sagaId?: string) {
  const blogId = randomUUID();
  return eventOf(events.BlogCreated, 'BlogCreated', {
    aggregateType: AggregateTypes.blog,
    aggregateId: blogId,
    sagaId,
    data: { blogId, ownerId, slug: `slug-${blogId.slice(0, 8)}`, title: "it's blog" },
  });
}

/** userRejected is the user service's UserRejected (NICKNAME_TAKEN). */
export function userRejected(userId: string, sagaId?: string) {
  return eventOf(events.UserRejected, 'UserRejected', {
    aggregateType: AggregateTypes.profile,
    aggregateId: userId,
    sagaId,
    data: { userId, reason: 'NICKNAME_TAKEN' },
  });
}

/** userDeleted is the user service's UserDeleted for either saga. */
export function userDeleted(userId: string, cause: events.UserDeletionCause, sagaId?: string) {
  const reason =
    cause === events.UserDeletionCause.USER_DELETION_CAUSE_SIGNUP_REJECTED ? 'BLOG_SLUG_TAKEN' : '';
  return eventOf(events.UserDeleted, 'UserDeleted', {
    aggregateType: AggregateTypes.profile,
    aggregateId: userId,
    sagaId,
    data: { userId, cause, reason },
  });
}

/** deletionReports are the four participants' reports for an account, as their producers emit them. */
export function deletionReports(accountId: string, sagaId: string) {
  const blogId = randomUUID();
  return {
    user: userDeleted(accountId, events.UserDeletionCause.USER_DELETION_CAUSE_ACCOUNT_DELETED, sagaId),
    blog: eventOf(events.BlogDeleted, 'BlogDeleted', {
      aggregateType: AggregateTypes.blog,
      aggregateId: blogId,
      sagaId,
      data: { blogId, ownerId: accountId },
    }),
    subscribe: eventOf(events.AccountSubscriptionsCancelled, 'AccountSubscriptionsCancelled', {
      aggregateType: AggregateTypes.subscription,
      aggregateId: accountId,
      sagaId,
      data: { accountId, cancelledCount: 2 },
    }),
    visitor: eventOf(events.BlogStatsDropped, 'BlogStatsDropped', {
      aggregateType: AggregateTypes.stats,
      aggregateId: blogId,
      sagaId,
      data: { blogId, ownerId: accountId },
    }),
  };
}

/** SeededAccount is an account written straight to the database, with its password. */
export interface SeededAccount {
  readonly accountId: string;
  readonly email: string;
  readonly password: string;
  /** sagaId is the deletion saga's id for a DELETING account, the sign-up saga's otherwise. */
  readonly sagaId: string;
}

const hasher = new Argon2Hasher();

/**
 * seedAccount writes an account in a given state without emitting any event, so that no other service on the shared
 * stack learns about it and steps in: the test alone drives its saga. A DELETING account gets its saga state.
 */
export async function seedAccount(
  h: AuthHarness,
  status: 'PENDING' | 'ACTIVE' | 'DELETING' = 'ACTIVE',
): Promise<SeededAccount> {
  const request = signUp();
  const accountId = randomUUID();
  const signupSagaId = randomUUID();
  const passwordHash = await hasher.hash(request.password);
  const email = request.email.toLowerCase();
  const sagaId = await h.store.withTransaction(async (tx) => {
    await insertAccount(tx, {
      id: accountId,
      email,
      passwordHash,
      nickname: request.nickname,
      blogSlug: 'x-blog',
      signupSagaId,
    });
    if (status === 'PENDING') return signupSagaId;
    await transitionAccount(tx, accountId, ['PENDING'], 'ACTIVE');
    if (status === 'ACTIVE') return signupSagaId;
    await transitionAccount(tx, accountId, ['ACTIVE'], 'DELETING');
    const deletionSagaId = randomUUID();
    await startDeletionSaga(tx, accountId, deletionSagaId, DELETION_PARTICIPANTS);
    return deletionSagaId;
  });
  return { accountId, email: request.email, password: request.password, sagaId };
}

/** signUpThroughSaga signs up over gRPC and plays the blog service's BlogCreated, then waits for AccountActivated. */
export async function signUpThroughSaga(h: AuthHarness): Promise<SeededAccount> {
  const request = signUp();
  const { account } = await h.client.createAccount(request);
  const accountId = must(account).accountId;
  const created = await h.emitted.next('AccountCreated', accountId);
  await h.bus.publish(blogCreated(accountId, created.sagaId));
  await h.emitted.next('AccountActivated', accountId);
  return { accountId, email: request.email, password: request.password, sagaId: must(created.sagaId) };
}
