// Test support (excluded from the build): unique nicknames, and the events other services emit as their producers
// would.
import { randomBytes, randomUUID } from 'node:crypto';
import { eventOf } from '@blog/framework';
import { AggregateTypes, events } from '@blog/proto';

/** uniqueNickname returns a nickname no other test run uses. */
export function uniqueNickname(prefix = 'u'): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

/** accountCreated is auth's AccountCreated (a new sign-up saga) for a new account unless one is given. */
export function accountCreated(nickname: string, accountId: string = randomUUID()) {
  return eventOf(events.AccountCreated, 'AccountCreated', {
    aggregateType: AggregateTypes.account,
    aggregateId: accountId,
    sagaId: randomUUID(),
    data: { accountId, nickname, blogSlug: nickname.toLowerCase().replaceAll('_', '-') },
  });
}

/** blogRejected is the blog service's BlogRejected (key: the owner id). */
export function blogRejected(ownerId: string, sagaId?: string) {
  return eventOf(events.BlogRejected, 'BlogRejected', {
    aggregateType: AggregateTypes.blog,
    aggregateId: ownerId,
    sagaId,
    data: { ownerId, reason: 'BLOG_SLUG_TAKEN' },
  });
}

/** accountDeletionRequested is auth's AccountDeletionRequested (a new deletion saga). */
export function accountDeletionRequested(accountId: string) {
  return eventOf(events.AccountDeletionRequested, 'AccountDeletionRequested', {
    aggregateType: AggregateTypes.account,
    aggregateId: accountId,
    sagaId: randomUUID(),
    data: { accountId },
  });
}
