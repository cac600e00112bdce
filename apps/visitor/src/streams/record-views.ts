// RecordViews, the gateway's one stream of views: each view goes to the batching recorder as it arrives (up to
// MAX_IN_FLIGHT at once, so the group commit fills its batches as it does for concurrent unary calls) and is
// acknowledged once its batch committed, in commit order rather than arrival order. A malformed view is acknowledged
// as refused (logged), not fatal: one bad view must not break the stream that carries everyone else's.
import { isDomainError, type Logger, validate } from '@blog/framework';
import type { visitor } from '@blog/proto';
import type { View } from '../domain/views';
import type { recordViewRequest } from '../domain/validation';

/** MAX_IN_FLIGHT bounds the views of one stream awaiting their commit; beyond it the stream stops reading. */
export const MAX_IN_FLIGHT = 512;

/** recordViews answers each view of `requests` once `record` stored it (or refused it as malformed). */
export async function* recordViews(
  requests: AsyncIterable<visitor.RecordViewsRequest>,
  schema: typeof recordViewRequest,
  record: (view: View) => Promise<void>,
  logger: Logger,
): AsyncGenerator<visitor.RecordViewsResponse> {
  const acks: visitor.RecordViewsResponse[] = [];
  let inFlight = 0;
  let ended = false;
  let failure: unknown;
  // Both the reader (waiting for room) and the writer (waiting for acks) may wait at once: wake them all.
  const waiters: (() => void)[] = [];
  const changed = (): Promise<void> => new Promise((resolve) => waiters.push(resolve));
  const signal = (): void => {
    for (const resolve of waiters.splice(0)) resolve();
  };
  const room = async (): Promise<void> => {
    while (inFlight >= MAX_IN_FLIGHT && failure === undefined) await changed();
  };

  const reading = (async () => {
    for await (const request of requests) {
      const viewId = request.view?.viewId ?? '';
      let view: View;
      try {
        view = validate(schema, request.view ?? {});
      } catch (error) {
        if (!isDomainError(error)) throw error;
        logger.warn({ err: error, viewId }, 'malformed view refused');
        acks.push({ viewId, refused: true });
        signal();
        continue;
      }
      await room();
      inFlight++;
      record(view).then(
        () => {
          inFlight--;
          acks.push({ viewId: view.viewId, refused: false });
          signal();
        },
        (error: unknown) => {
          // The database is away: end the stream (UNAVAILABLE); the gateway resends what was not acknowledged.
          failure ??= error;
          signal();
        },
      );
    }
    ended = true;
    signal();
  })().catch((error: unknown) => {
    failure ??= error;
    signal();
  });

  for (;;) {
    while (acks.length > 0) yield acks.shift() as visitor.RecordViewsResponse;
    if (failure !== undefined) throw failure;
    if (ended && inFlight === 0) break;
    await changed();
  }
  await reading;
}
