// The deletion saga's fan-in, free of I/O: which participants must report before an account is DELETED, and which
// event is whose report (docs/sagas.md, "Delete an account", step 7).
import { events } from '@blog/proto';

/** Participant is a service whose report the deletion saga waits for. */
export type Participant = 'user' | 'blog' | 'subscribe' | 'visitor';

/** DELETION_PARTICIPANTS are recorded as pending when the saga starts; DELETED waits for all of them. */
export const DELETION_PARTICIPANTS: readonly Participant[] = ['user', 'blog', 'subscribe', 'visitor'];

/** Report is one participant saying it is done with an account. */
export interface Report {
  readonly participant: Participant;
  readonly accountId: string;
}

/** reportOfUserDeleted: only the deletion saga's UserDeleted is a report (the sign-up compensation is not). */
export function reportOfUserDeleted(event: events.UserDeleted): Report | undefined {
  return event.cause === events.UserDeletionCause.USER_DELETION_CAUSE_ACCOUNT_DELETED
    ? { participant: 'user', accountId: event.userId }
    : undefined;
}

/** reportOfBlogDeleted: the blog step is done for the blog's owner. */
export function reportOfBlogDeleted(event: events.BlogDeleted): Report {
  return { participant: 'blog', accountId: event.ownerId };
}

/** reportOfSubscriptionsCancelled: the subscribe step is done for the account. */
export function reportOfSubscriptionsCancelled(event: events.AccountSubscriptionsCancelled): Report {
  return { participant: 'subscribe', accountId: event.accountId };
}

/** reportOfStatsDropped: the visitor step is done for the blog's owner. */
export function reportOfStatsDropped(event: events.BlogStatsDropped): Report {
  return { participant: 'visitor', accountId: event.ownerId };
}

/** isComplete: the saga may finish once no participant is pending. */
export function isComplete(pending: readonly string[]): boolean {
  return pending.length === 0;
}
