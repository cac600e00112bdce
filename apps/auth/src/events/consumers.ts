// The auth service's consumers: every event it reacts to and its handler (docs/sagas.md is the contract): sign-up
// results and deletion reports. The topics it reads follow from these events.
import type { HandlerContext, InboxConsumer, Logger } from '@blog/framework';
import {
  AccountSubscriptionsCancelled,
  BlogCreated,
  BlogDeleted,
  BlogStatsDropped,
  events,
  UserDeleted,
  UserRejected,
} from '@blog/proto';
import { reportOfUserDeleted } from '../domain/deletion-saga';
import {
  onAccountSubscriptionsCancelled,
  onBlogDeleted,
  onBlogStatsDropped,
  recordDeletionReport,
} from './deletion.handlers';
import { onBlogCreated, onSignUpUserDeleted, onUserRejected } from './sign-up.handlers';

/** registerConsumers registers every event handler of the auth service on its consumer. */
export function registerConsumers(consumer: InboxConsumer, logger: Logger): InboxConsumer {
  const log = logger.child({ component: 'saga' });
  return consumer
    .on(BlogCreated, onBlogCreated(log))
    .on(UserRejected, onUserRejected(log))
    .on(UserDeleted, onUserDeleted(log))
    .on(BlogDeleted, onBlogDeleted(log))
    .on(AccountSubscriptionsCancelled, onAccountSubscriptionsCancelled(log))
    .on(BlogStatsDropped, onBlogStatsDropped(log));
}

// UserDeleted ends two sagas: the sign-up compensation (SIGNUP_REJECTED) and the deletion's user step.
function onUserDeleted(logger: Logger) {
  return async (event: events.UserDeleted, ctx: HandlerContext): Promise<void> => {
    if (event.cause === events.UserDeletionCause.USER_DELETION_CAUSE_SIGNUP_REJECTED) {
      return onSignUpUserDeleted(event, ctx, logger);
    }
    const report = reportOfUserDeleted(event);
    if (report) return recordDeletionReport(report, ctx, logger);
    logger.warn(
      { userId: event.userId, cause: event.cause, messageId: ctx.messageId },
      'UserDeleted without a known cause ignored',
    );
  };
}
