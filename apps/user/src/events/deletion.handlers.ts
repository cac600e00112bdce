// The user service's deletion step: delete the profile and report UserDeleted(ACCOUNT_DELETED). The report goes out
// even when the profile is already gone, because auth's fan-in waits for it.
import type { HandlerContext, Logger } from '@blog/framework';
import { events, UserDeleted } from '@blog/proto';
import { deleteProfile } from '../repository/profile.repository';

/** onAccountDeletionRequested runs the deletion saga's user step. */
export function onAccountDeletionRequested(logger: Logger) {
  return async (event: events.AccountDeletionRequested, ctx: HandlerContext): Promise<void> => {
    const userId = event.accountId;
    const log = logger.child({ userId, messageId: ctx.messageId, eventType: ctx.eventType });
    const profile = await deleteProfile(ctx.tx, userId);
    await ctx.emit(UserDeleted, userId, {
      userId,
      cause: events.UserDeletionCause.USER_DELETION_CAUSE_ACCOUNT_DELETED,
      reason: '',
    });
    log.info({ hadProfile: profile !== undefined }, 'profile deleted: account deletion');
  };
}
