import { UnimplementedError, type RequestContext } from '@blog/framework';
import { user } from '@blog/proto';
import { describe, expect, it } from 'vitest';
import { userHandlers } from './server';

describe('UserService handlers', () => {
  it('answer UNIMPLEMENTED for every RPC until the domain logic lands (never made-up data)', async () => {
    const methods = Object.keys(user.UserServiceService) as (keyof typeof userHandlers)[];
    expect(methods).toHaveLength(2);
    for (const method of methods) {
      const handler = userHandlers[method] as (request: unknown, ctx: RequestContext) => unknown;
      const answer = Promise.resolve().then(() => handler({}, {} as RequestContext));
      await expect(answer, method).rejects.toBeInstanceOf(UnimplementedError);
    }
  });
});
