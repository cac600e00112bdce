// gRPC handlers of blog.user.v1.UserService: validate the request, run the use case, map the answer.
import { validate, type Handlers } from '@blog/framework';
import type { user } from '@blog/proto';
import { getUserRequest, updateUserRequest } from './domain/validation';
import { toApiUser } from './profile.mapper';
import type { Profiles } from './use-cases/profiles';

/** userHandlers implements blog.user.v1.UserService. */
export function userHandlers(profiles: Profiles): Handlers<typeof user.UserServiceService> {
  return {
    async getUser(request) {
      const { userId } = validate(getUserRequest, request);
      return { user: toApiUser(await profiles.get(userId)) };
    },
    async updateUser(request) {
      const { userId, nickname, bio } = validate(updateUserRequest, request);
      return { user: toApiUser(await profiles.update(userId, { nickname, bio })) };
    },
  };
}
