// gRPC handlers of blog.user.v1.UserService. The domain logic is a later issue: until it lands, every RPC answers
// UNIMPLEMENTED (never fake data). Override method by method: { ...unimplemented(definition), getUser }.
import { unimplemented, type Handlers } from '@blog/framework';
import { user } from '@blog/proto';

/** userHandlers implements blog.user.v1.UserService. */
export const userHandlers: Handlers<typeof user.UserServiceService> = {
  ...unimplemented(user.UserServiceService),
};
