// gRPC handlers of blog.blog.v1.BlogService. The domain logic is a later issue: until it lands, every RPC answers
// UNIMPLEMENTED (never fake data). Override method by method: { ...unimplemented(definition), getBlog }.
import { unimplemented, type Handlers } from '@blog/framework';
import { blog } from '@blog/proto';

/** blogHandlers implements blog.blog.v1.BlogService. */
export const blogHandlers: Handlers<typeof blog.BlogServiceService> = {
  ...unimplemented(blog.BlogServiceService),
};
