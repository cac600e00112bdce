// What auth consumes, and from which topics (docs/sagas.md): sign-up results and deletion reports.
import type { HandlerContext, InboxConsumer, Logger } from '@blog/framework';
import { AggregateTypes, events, topicFor } from '@blog/proto';
import { reportOfUserDeleted } from '../domain/deletion-saga';
import {
  onAccountSubscriptionsCancelled,
  onBlogDeleted,
  onBlogStatsDropped,
  recordDeletionReport,
} from './deletion.handlers';
import { onBlogCreated, onSignUpUserDeleted, onUserRejected } from './sign-up.handlers';

/** AUTH_TOPICS are the topics auth's consumer reads. */
export const AUTH_TOPICS = [
  topicFor(AggregateTypes.profile),
  topicFor(AggregateTypes.blog),
  topicFor(AggregateTypes.subscription),
  topicFor(AggregateTypes.stats),
];

/** registerAuthConsumers registers every auth event handler on the consumer. */
export function registerAuthConsumers(consumer: InboxConsumer, logger: Logger): InboxConsumer {
  const log = logger.child({ component: 'saga' });
  return consumer
    .on('BlogCreated', events.BlogCreated, onBlogCreated(log))
    .on('UserRejected', events.UserRejected, onUserRejected(log))
    .on('UserDeleted', events.UserDeleted, onUserDeleted(log))
    .on('BlogDeleted', events.BlogDeleted, onBlogDeleted(log))
    .on(
      'AccountSubscriptionsCancelled',
      events.AccountSubscriptionsCancelled,
      onAccountSubscriptionsCancelled(log),
    )
    .on('BlogStatsDropped', events.BlogStatsDropped, onBlogStatsDropped(log));
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
