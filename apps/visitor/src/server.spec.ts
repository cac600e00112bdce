import { UnimplementedError, type RequestContext } from '@blog/framework';
import { visitor } from '@blog/proto';
import { describe, expect, it } from 'vitest';
import { visitorHandlers } from './server';

describe('VisitorService handlers', () => {
  it('answer UNIMPLEMENTED for every RPC until the domain logic lands (never made-up data)', async () => {
    const methods = Object.keys(visitor.VisitorServiceService) as (keyof typeof visitorHandlers)[];
    expect(methods).toHaveLength(3);
    for (const method of methods) {
      const handler = visitorHandlers[method] as (request: unknown, ctx: RequestContext) => unknown;
      const answer = Promise.resolve().then(() => handler({}, {} as RequestContext));
      await expect(answer, method).rejects.toBeInstanceOf(UnimplementedError);
    }
  });
});
