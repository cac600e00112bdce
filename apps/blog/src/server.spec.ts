import { UnimplementedError, type RequestContext } from '@blog/framework';
import { blog } from '@blog/proto';
import { describe, expect, it } from 'vitest';
import { blogHandlers } from './server';

describe('BlogService handlers', () => {
  it('answer UNIMPLEMENTED for every RPC until the domain logic lands (never made-up data)', async () => {
    const methods = Object.keys(blog.BlogServiceService) as (keyof typeof blogHandlers)[];
    expect(methods).toHaveLength(4);
    for (const method of methods) {
      const handler = blogHandlers[method] as (request: unknown, ctx: RequestContext) => unknown;
      const answer = Promise.resolve().then(() => handler({}, {} as RequestContext));
      await expect(answer, method).rejects.toBeInstanceOf(UnimplementedError);
    }
  });
});
