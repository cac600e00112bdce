import type { Breakers } from '../../breaker/breakers';
import type { CallWrapper } from '../client';

/** breakerWrapper runs each call through its endpoint's breaker (one per `service.Method`, shared by all calls). */
export function breakerWrapper(breakers: Breakers): CallWrapper {
  return (next) => (request, ctx) => breakers.fire(ctx.endpoint, ctx.timeoutMs, () => next(request, ctx));
}
