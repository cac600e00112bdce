import { UnimplementedError, type RequestContext } from '@blog/framework';
import { subscribe } from '@blog/proto';
import { describe, expect, it } from 'vitest';
import { subscribeHandlers } from './server';

describe('SubscribeService handlers', () => {
  it('answer UNIMPLEMENTED for every RPC until the domain logic lands (never made-up data)', async () => {
    const methods = Object.keys(subscribe.SubscribeServiceService) as (keyof typeof subscribeHandlers)[];
    expect(methods).toHaveLength(5);
    for (const method of methods) {
      const handler = subscribeHandlers[method] as (request: unknown, ctx: RequestContext) => unknown;
      const answer = Promise.resolve().then(() => handler({}, {} as RequestContext));
      await expect(answer, method).rejects.toBeInstanceOf(UnimplementedError);
    }
  });
});
