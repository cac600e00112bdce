import { status } from '@grpc/grpc-js';
import { serviceError, statusOf } from '../../breaker/breaker';
import type { NodeHealth } from '../../breaker/node-health';
import type { Node } from '../../registry/registry';
import type { CallWrapper } from '../client';

/**
 * selectorWrapper picks the node for each attempt and records how that node answered: UNAVAILABLE marks it failing so
 * the next picks skip it; any real answer (success or a business error) proves it reachable.
 */
export function selectorWrapper(pick: () => Promise<Node | undefined>, health: NodeHealth): CallWrapper {
  return (next) => async (request, ctx) => {
    const node = await pick();
    if (!node) throw serviceError(status.UNAVAILABLE, `no nodes known for service ${ctx.service}`);
    try {
      const response = await next(request, { ...ctx, node });
      health.succeeded(node);
      return response;
    } catch (err) {
      const code = statusOf(err);
      if (code === status.UNAVAILABLE) health.callFailed(node, (err as Error).message);
      else if (code !== undefined && code !== status.DEADLINE_EXCEEDED) health.succeeded(node);
      throw err;
    }
  };
}
