// The deletion saga's fan-in in auth: each participant's report is marked in the saga state; the report that leaves
// nobody pending moves the account DELETING -> DELETED and emits AccountDeleted. A repeated or late report (no
// running saga, or that participant already reported) is a logged no-op.
import type { HandlerContext, Logger } from '@blog/framework';
import { AccountDeleted, type events } from '@blog/proto';
import {
  isComplete,
  reportOfBlogDeleted,
  reportOfStatsDropped,
  reportOfSubscriptionsCancelled,
  type Report,
} from '../domain/deletion-saga';
import { transitionAccount } from '../repository/account.repository';
import { completeDeletionSaga, recordReport } from '../repository/deletion-saga.repository';

/** recordDeletionReport applies one participant's report. */
export async function recordDeletionReport(
  report: Report,
  ctx: HandlerContext,
  logger: Logger,
): Promise<void> {
  const log = logger.child({ ...report, eventType: ctx.eventType, messageId: ctx.messageId });
  const saga = await recordReport(ctx.tx, report.accountId, report.participant);
  if (!saga) {
    log.info('deletion report ignored: no running deletion saga waits for it');
    return;
  }
  if (!isComplete(saga.pending)) {
    log.info({ pending: saga.pending }, 'deletion report recorded');
    return;
  }
  const account = await transitionAccount(ctx.tx, report.accountId, ['DELETING'], 'DELETED');
  await completeDeletionSaga(ctx.tx, report.accountId);
  if (!account) {
    log.warn('deletion saga complete but the account was not DELETING; nothing to finish');
    return;
  }
  // The saga's own id, whatever a participant copied (or failed to copy) into its report.
  await ctx.emit(AccountDeleted, report.accountId, { accountId: report.accountId }, { sagaId: saga.sagaId });
  log.info('deletion saga complete: account DELETED');
}

/** onBlogDeleted: the blog step is done. */
export function onBlogDeleted(logger: Logger) {
  return (event: events.BlogDeleted, ctx: HandlerContext) =>
    recordDeletionReport(reportOfBlogDeleted(event), ctx, logger);
}

/** onAccountSubscriptionsCancelled: the subscribe step is done. */
export function onAccountSubscriptionsCancelled(logger: Logger) {
  return (event: events.AccountSubscriptionsCancelled, ctx: HandlerContext) =>
    recordDeletionReport(reportOfSubscriptionsCancelled(event), ctx, logger);
}

/** onBlogStatsDropped: the visitor step is done. */
export function onBlogStatsDropped(logger: Logger) {
  return (event: events.BlogStatsDropped, ctx: HandlerContext) =>
    recordDeletionReport(reportOfStatsDropped(event), ctx, logger);
}
