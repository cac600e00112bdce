// blog: blogs, post and subscription validation, counters.
import { defineService } from '../entry';

/** blog is the catalog entry of the blog service. */
export const blog = defineService({
  name: 'blog',
  summary: 'Blogs, post and subscription validation, counters.',
  schema: 'blog',
  grpcPort: 7053,
  adminPort: 9103,
  consumes: [
    'events.auth.account',
    'events.user.profile',
    'events.post.post',
    'events.subscribe.subscription',
  ],
  callers: ['api-gateway'],
  deploy: { heavy: true },
});
