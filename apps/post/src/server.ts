// gRPC handlers of blog.post.v1.PostService. The domain logic is a later issue: until it lands, every RPC answers
// UNIMPLEMENTED (never fake data). Override method by method: { ...unimplemented(definition), submitPost }.
import { unimplemented, type Handlers } from '@blog/framework';
import { post } from '@blog/proto';

/** postHandlers implements blog.post.v1.PostService. */
export const postHandlers: Handlers<typeof post.PostServiceService> = {
  ...unimplemented(post.PostServiceService),
};
