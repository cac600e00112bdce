import { UnimplementedError, type RequestContext } from '@blog/framework';
import { post } from '@blog/proto';
import { describe, expect, it } from 'vitest';
import { postHandlers } from './server';

describe('PostService handlers', () => {
  it('answer UNIMPLEMENTED for every RPC until the domain logic lands (never made-up data)', async () => {
    const methods = Object.keys(post.PostServiceService) as (keyof typeof postHandlers)[];
    expect(methods).toHaveLength(5);
    for (const method of methods) {
      const handler = postHandlers[method] as (request: unknown, ctx: RequestContext) => unknown;
      const answer = Promise.resolve().then(() => handler({}, {} as RequestContext));
      await expect(answer, method).rejects.toBeInstanceOf(UnimplementedError);
    }
  });
});
