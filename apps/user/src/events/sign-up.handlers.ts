// The user service's sign-up steps: AccountCreated creates the profile (UserCreated) or, if the nickname is taken,
// answers UserRejected; BlogRejected compensates by deleting the profile (UserDeleted SIGNUP_REJECTED), which frees
// the nickname. The unique index settles races: of two sign-ups with one nickname exactly one inserts.
import type { HandlerContext, Logger } from '@blog/framework';
import { events, UserCreated, UserDeleted, UserRejected } from '@blog/proto';
import { signUpRejectionReason } from '../domain/profile';
import { deleteProfile, findProfile, insertProfile } from '../repository/profile.repository';

/** onAccountCreated runs the sign-up saga's user step. */
export function onAccountCreated(logger: Logger) {
  return async (event: events.AccountCreated, ctx: HandlerContext): Promise<void> => {
    const { accountId: userId, nickname, blogSlug } = event;
    const log = logger.child({ userId, messageId: ctx.messageId, eventType: ctx.eventType });
    // A malformed account id or nickname never gets here: the AccountCreated descriptor dead-letters it at once.

    const profile = await insertProfile(ctx.tx, { userId, nickname });
    if (profile) {
      await ctx.emit(UserCreated, userId, { userId, nickname: profile.nickname, blogSlug });
      return log.info('profile created');
    }
    // Nothing inserted: either this account has its profile already (a replay under a new id), or the nickname
    // belongs to someone else.
    if (await findProfile(ctx.tx, userId))
      return log.info('AccountCreated ignored: the profile exists already');
    await ctx.emit(UserRejected, userId, { userId, reason: 'NICKNAME_TAKEN' });
    log.info({ nickname }, 'sign-up rejected: nickname taken');
  };
}

/** onBlogRejected compensates a sign-up whose blog slug was taken. */
export function onBlogRejected(logger: Logger) {
  return async (event: events.BlogRejected, ctx: HandlerContext): Promise<void> => {
    const userId = event.ownerId;
    const log = logger.child({ userId, messageId: ctx.messageId, eventType: ctx.eventType });
    const profile = await deleteProfile(ctx.tx, userId);
    if (!profile) return log.info('BlogRejected ignored: no profile to delete');
    await ctx.emit(UserDeleted, userId, {
      userId,
      cause: events.UserDeletionCause.USER_DELETION_CAUSE_SIGNUP_REJECTED,
      reason: signUpRejectionReason(event.reason),
    });
    log.info('profile deleted: sign-up rejected');
  };
}
