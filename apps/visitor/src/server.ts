// gRPC handlers of blog.visitor.v1.VisitorService: validate the request, run the use case, answer.
import { validate, type Handlers } from '@blog/framework';
import type { visitor } from '@blog/proto';
import { blogStatsRequest, postStatsRequest, recordViewRequest } from './domain/validation';
import { recordViews } from './streams/record-views';
import type { Views } from './use-cases/views';

/** visitorHandlers implements blog.visitor.v1.VisitorService on the view use cases. */
export function visitorHandlers(views: Views): Handlers<typeof visitor.VisitorServiceService> {
  return {
    async recordView(request) {
      await views.record(validate(recordViewRequest, request));
      return {};
    },
    recordViews(requests, ctx) {
      return recordViews(requests, recordViewRequest, (view) => views.record(view), ctx.logger);
    },
    async getPostStats(request) {
      const { postId } = validate(postStatsRequest, request);
      return { postId, total: await views.postTotal(postId) };
    },
    async getBlogStats(request) {
      const { blogId } = validate(blogStatsRequest, request);
      return { blogId, ...(await views.blogTotals(blogId)) };
    },
  };
}
