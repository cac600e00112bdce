// subscribe: subscriptions and feeds.
import { defineService } from '../entry';

/** subscribe is the catalog entry of the subscribe service. */
export const subscribe = defineService({
  name: 'subscribe',
  summary: 'Subscriptions and feeds.',
  schema: 'subscribe',
  grpcPort: 7056,
  adminPort: 9106,
  consumes: ['events.blog.blog', 'events.post.post', 'events.auth.account'],
  callers: ['api-gateway'],
});
