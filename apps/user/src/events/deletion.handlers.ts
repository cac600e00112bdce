// The user service's deletion step: delete the profile and report UserDeleted(ACCOUNT_DELETED). The report goes out
// even when the profile is already gone, because auth's fan-in waits for it.
import { eventOf, isUuid, type HandlerContext, type Logger } from '@blog/framework';
import { AggregateTypes, events } from '@blog/proto';
import { deleteProfile } from '../repository/profile.repository';

/** onAccountDeletionRequested runs the deletion saga's user step. */
export function onAccountDeletionRequested(logger: Logger) {
  return async (event: events.AccountDeletionRequested, ctx: HandlerContext): Promise<void> => {
    const userId = event.accountId;
    const log = logger.child({ userId, messageId: ctx.messageId, eventType: ctx.eventType });
    if (!isUuid(userId)) return log.warn('AccountDeletionRequested ignored: the account id is not a UUID');
    const profile = await deleteProfile(ctx.tx, userId);
    await ctx.addEvent(
      eventOf(events.UserDeleted, 'UserDeleted', {
        aggregateType: AggregateTypes.profile,
        aggregateId: userId,
        sagaId: ctx.sagaId,
        data: { userId, cause: events.UserDeletionCause.USER_DELETION_CAUSE_ACCOUNT_DELETED, reason: '' },
      }),
    );
    log.info({ hadProfile: profile !== undefined }, 'profile deleted: account deletion');
  };
}
