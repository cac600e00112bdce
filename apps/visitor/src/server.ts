// gRPC handlers of blog.visitor.v1.VisitorService: validate, then hand over to the recorder or the repository.
import { validate, type Handlers, type Queryable } from '@blog/framework';
import type { visitor } from '@blog/proto';
import { z } from 'zod';
import type { View } from './domain/views';
import { blogTotals, postTotals } from './repository/stats.repository';
import { recordViews } from './streams/record-views';

const uuid = z.uuid({ error: 'must be a UUID' });

/** recordViewRequest validates RecordView: ids are UUIDs; the viewer is a user id or a client-address hash. */
export const recordViewRequest = z.object({
  viewId: uuid,
  postId: uuid,
  blogId: uuid,
  viewerId: z
    .string()
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(200, { error: 'must be at most 200 characters' }),
});

/** VisitorDeps are what the handlers need: the batching recorder and a database to read from. */
export interface VisitorDeps {
  readonly recorder: { record(view: View): Promise<void> };
  readonly db: Queryable;
}

/** visitorHandlers implements blog.visitor.v1.VisitorService. */
export function visitorHandlers(deps: VisitorDeps): Handlers<typeof visitor.VisitorServiceService> {
  return {
    async recordView(request) {
      await deps.recorder.record(validate(recordViewRequest, request));
      return {};
    },
    recordViews(requests, ctx) {
      return recordViews(requests, recordViewRequest, (view) => deps.recorder.record(view), ctx.logger);
    },
    async getPostStats(request) {
      const { postId } = validate(z.object({ postId: uuid }), request);
      return { postId, total: await postTotals(deps.db, postId) };
    },
    async getBlogStats(request) {
      const { blogId } = validate(z.object({ blogId: uuid }), request);
      return { blogId, ...(await blogTotals(deps.db, blogId)) };
    },
  };
}
