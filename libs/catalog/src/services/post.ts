// post: posts.
import { defineService } from '../entry';

/** post is the catalog entry of the post service. */
export const post = defineService({
  name: 'post',
  summary: 'Posts.',
  schema: 'post',
  grpcPort: 7054,
  adminPort: 9104,
  consumes: ['events.blog.blog'],
  callers: ['api-gateway'],
});
