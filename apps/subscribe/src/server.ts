// gRPC handlers of blog.subscribe.v1.SubscribeService. The domain logic is a later issue: until it lands, every RPC answers
// UNIMPLEMENTED (never fake data). Override method by method: { ...unimplemented(definition), subscribe }.
import { unimplemented, type Handlers } from '@blog/framework';
import { subscribe } from '@blog/proto';

/** subscribeHandlers implements blog.subscribe.v1.SubscribeService. */
export const subscribeHandlers: Handlers<typeof subscribe.SubscribeServiceService> = {
  ...unimplemented(subscribe.SubscribeServiceService),
};
