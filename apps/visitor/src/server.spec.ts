import { randomUUID } from 'node:crypto';
import { InvalidArgumentError, type Queryable, type RequestContext } from '@blog/framework';
import { describe, expect, it } from 'vitest';
import type { View } from './domain/views';
import { visitorHandlers } from './server';
import { Views } from './use-cases/views';

function handlers() {
  const recorded: View[] = [];
  const db: Queryable = {
    query: () => Promise.reject(new Error('no database in unit tests')),
  };
  return {
    recorded,
    handlers: visitorHandlers(
      new Views({ recorder: { record: async (v) => void recorded.push(v) }, store: db }),
    ),
  };
}

const ctx = {} as RequestContext;

async function violations(answer: Promise<unknown>): Promise<string[]> {
  const error = await answer.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InvalidArgumentError);
  return (error as InvalidArgumentError).violations.map((v) => v.field);
}

describe('VisitorService handlers', () => {
  it('records a valid view through the recorder', async () => {
    const { recorded, handlers: h } = handlers();
    const view = { viewId: randomUUID(), postId: randomUUID(), blogId: randomUUID(), viewerId: ' ann ' };
    expect(await h.recordView(view, ctx)).toEqual({});
    expect(recorded).toEqual([{ ...view, viewerId: 'ann' }]);
  });

  it('answers INVALID_ARGUMENT naming every bad field of RecordView, recording nothing', async () => {
    const { recorded, handlers: h } = handlers();
    const bad = { viewId: 'nope', postId: '', blogId: randomUUID(), viewerId: '  ' };
    expect(await violations(Promise.resolve().then(() => h.recordView(bad, ctx)))).toEqual([
      'viewId',
      'postId',
      'viewerId',
    ]);
    expect(recorded).toEqual([]);
  });

  it('answers INVALID_ARGUMENT naming the id of GetPostStats and GetBlogStats', async () => {
    const { handlers: h } = handlers();
    expect(await violations(Promise.resolve().then(() => h.getPostStats({ postId: 'x' }, ctx)))).toEqual([
      'postId',
    ]);
    expect(await violations(Promise.resolve().then(() => h.getBlogStats({ blogId: '' }, ctx)))).toEqual([
      'blogId',
    ]);
  });
});
