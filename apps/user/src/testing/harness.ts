// Test support (excluded from the build): the real user service on the local stack (see @blog/testing
// startOnStack); its tap (`emitted`) sees events.user.profile.
import { AggregateTypes, user } from '@blog/proto';
import { startOnStack, type StackHarness } from '@blog/testing';
import type { UserConfig } from '../config';
import { userService } from '../service';

/** UserHarness is a running user service and what a test needs around it. */
export type UserHarness = StackHarness<UserConfig, typeof user.UserServiceService>;

/** startUser starts the service (store on the users schema). */
export function startUser(): Promise<UserHarness> {
  return startOnStack({
    service: userService,
    definition: user.UserServiceService,
    schema: 'users',
    emits: [AggregateTypes.profile],
  });
}
