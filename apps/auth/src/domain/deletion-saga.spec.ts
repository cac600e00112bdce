import { events } from '@blog/proto';
import { describe, expect, it } from 'vitest';
import {
  DELETION_PARTICIPANTS,
  isComplete,
  reportOfBlogDeleted,
  reportOfStatsDropped,
  reportOfSubscriptionsCancelled,
  reportOfUserDeleted,
} from './deletion-saga';

const id = '7d7c8a3e-8c1b-4a53-9f36-0a4f7f0b3a11';

describe('deletion saga fan-in', () => {
  it('waits for user, blog, subscribe and visitor', () => {
    expect([...DELETION_PARTICIPANTS].sort()).toEqual(['blog', 'subscribe', 'user', 'visitor']);
  });

  it('maps each report event to its participant and account', () => {
    const userDeleted = events.UserDeleted.fromPartial({
      userId: id,
      cause: events.UserDeletionCause.USER_DELETION_CAUSE_ACCOUNT_DELETED,
    });
    expect(reportOfUserDeleted(userDeleted)).toEqual({ participant: 'user', accountId: id });
    expect(reportOfBlogDeleted(events.BlogDeleted.fromPartial({ blogId: 'b', ownerId: id }))).toEqual({
      participant: 'blog',
      accountId: id,
    });
    expect(
      reportOfSubscriptionsCancelled(events.AccountSubscriptionsCancelled.fromPartial({ accountId: id })),
    ).toEqual({ participant: 'subscribe', accountId: id });
    expect(reportOfStatsDropped(events.BlogStatsDropped.fromPartial({ blogId: 'b', ownerId: id }))).toEqual({
      participant: 'visitor',
      accountId: id,
    });
  });

  it('does not count the sign-up compensation UserDeleted as a deletion report', () => {
    for (const cause of [
      events.UserDeletionCause.USER_DELETION_CAUSE_SIGNUP_REJECTED,
      events.UserDeletionCause.USER_DELETION_CAUSE_UNSPECIFIED,
    ])
      expect(reportOfUserDeleted(events.UserDeleted.fromPartial({ userId: id, cause }))).toBeUndefined();
  });

  it('is complete only when nobody is pending', () => {
    expect(isComplete(['visitor'])).toBe(false);
    expect(isComplete([])).toBe(true);
  });
});
