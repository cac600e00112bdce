// gRPC handlers of blog.auth.v1.AuthService. The domain logic is a later issue: until it lands, every RPC answers
// UNIMPLEMENTED (never fake data). Override method by method: { ...unimplemented(definition), createAccount }.
import { unimplemented, type Handlers } from '@blog/framework';
import { auth } from '@blog/proto';

/** authHandlers implements blog.auth.v1.AuthService. */
export const authHandlers: Handlers<typeof auth.AuthServiceService> = {
  ...unimplemented(auth.AuthServiceService),
};
