// gRPC handlers of blog.visitor.v1.VisitorService. The domain logic is a later issue: until it lands, every RPC answers
// UNIMPLEMENTED (never fake data). Override method by method: { ...unimplemented(definition), recordView }.
import { unimplemented, type Handlers } from '@blog/framework';
import { visitor } from '@blog/proto';

/** visitorHandlers implements blog.visitor.v1.VisitorService. */
export const visitorHandlers: Handlers<typeof visitor.VisitorServiceService> = {
  ...unimplemented(visitor.VisitorServiceService),
};
