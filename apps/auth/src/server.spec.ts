import { UnimplementedError, type RequestContext } from '@blog/framework';
import { auth } from '@blog/proto';
import { describe, expect, it } from 'vitest';
import { authHandlers } from './server';

describe('AuthService handlers', () => {
  it('answer UNIMPLEMENTED for every RPC until the domain logic lands (never made-up data)', async () => {
    const methods = Object.keys(auth.AuthServiceService) as (keyof typeof authHandlers)[];
    expect(methods).toHaveLength(7);
    for (const method of methods) {
      const handler = authHandlers[method] as (request: unknown, ctx: RequestContext) => unknown;
      const answer = Promise.resolve().then(() => handler({}, {} as RequestContext));
      await expect(answer, method).rejects.toBeInstanceOf(UnimplementedError);
    }
  });
});
