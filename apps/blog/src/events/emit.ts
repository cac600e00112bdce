// How the blog's consumers emit: every event goes to the blog's outbox (topic events.blog.blog), carrying the saga id
// of the event that triggered it unless the step knows the saga better.
import { eventOf, type EventMessage, type HandlerContext } from '@blog/framework';
import { AggregateTypes } from '@blog/proto';

/** emit adds a blog event to the handler's transaction; `aggregateId` is its Kafka key. */
export function emit<T, D extends object>(
  ctx: HandlerContext,
  message: EventMessage<T> & { fromPartial(object: D & { meta?: object }): T },
  type: string,
  aggregateId: string,
  data: D,
  sagaId: string | undefined = ctx.sagaId,
): Promise<string> {
  return ctx.addEvent(
    eventOf(message, type, { aggregateType: AggregateTypes.blog, aggregateId, sagaId, data }),
  );
}

/** MalformedEventError marks an event no retry can fix (e.g. an id that is not a UUID): it ends in the DLQ. */
export class MalformedEventError extends Error {
  override readonly name = 'MalformedEventError';
}
