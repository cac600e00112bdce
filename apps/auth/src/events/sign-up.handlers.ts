// The sign-up saga's last steps in auth: BlogCreated activates the account; UserRejected and the compensating
// UserDeleted reject it. Each is a conditional update from PENDING: a late or repeated event changes nothing.
import type { HandlerContext, Logger } from '@blog/framework';
import { AccountActivated, AccountRejected, type events } from '@blog/proto';
import { rejectionReasonOf, type RejectionReason } from '../domain/account';
import { findAccount, transitionAccount } from '../repository/account.repository';

/** activateAccount: PENDING -> ACTIVE, emits AccountActivated. */
export async function activateAccount(accountId: string, ctx: HandlerContext, logger: Logger): Promise<void> {
  const account = await transitionAccount(ctx.tx, accountId, ['PENDING'], 'ACTIVE');
  if (!account) return ignore(accountId, ctx, logger);
  await ctx.emit(AccountActivated, accountId, { accountId }, { sagaId: ctx.sagaId ?? account.signupSagaId });
}

/** rejectAccount: PENDING -> REJECTED with the reason, emits AccountRejected. */
export async function rejectAccount(
  accountId: string,
  reason: RejectionReason,
  ctx: HandlerContext,
  logger: Logger,
): Promise<void> {
  const account = await transitionAccount(ctx.tx, accountId, ['PENDING'], 'REJECTED', reason);
  if (!account) return ignore(accountId, ctx, logger);
  const sagaId = ctx.sagaId ?? account.signupSagaId;
  await ctx.emit(AccountRejected, accountId, { accountId, reason }, { sagaId });
}

/** onBlogCreated ends a sign-up successfully. */
export function onBlogCreated(logger: Logger) {
  return (event: events.BlogCreated, ctx: HandlerContext) => activateAccount(event.ownerId, ctx, logger);
}

/** onUserRejected compensates a sign-up whose nickname was taken. */
export function onUserRejected(logger: Logger) {
  return (event: events.UserRejected, ctx: HandlerContext) =>
    rejectAccount(event.userId, rejectionReasonOf(event.reason, 'NICKNAME_TAKEN'), ctx, logger);
}

/** onSignUpUserDeleted compensates a sign-up whose blog slug was taken (the profile is already gone). */
export function onSignUpUserDeleted(event: events.UserDeleted, ctx: HandlerContext, logger: Logger) {
  return rejectAccount(event.userId, rejectionReasonOf(event.reason, 'BLOG_SLUG_TAKEN'), ctx, logger);
}

async function ignore(accountId: string, ctx: HandlerContext, logger: Logger): Promise<void> {
  const account = await findAccount(ctx.tx, accountId);
  logger.info(
    { accountId, status: account?.status ?? 'NOT_FOUND', eventType: ctx.eventType, messageId: ctx.messageId },
    'sign-up step ignored: the account is not PENDING',
  );
}
