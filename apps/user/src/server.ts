// gRPC handlers of blog.user.v1.UserService: validate the request, run the use case, map the answer.
import { validate, type Handlers } from '@blog/framework';
import { user } from '@blog/proto';
import { z } from 'zod';
import { updateUserSchema, type Profile } from './domain/profile';
import type { Profiles } from './use-cases/profiles';

const getUserRequest = z.object({ userId: z.uuid({ error: 'must be a UUID' }) });

/** userHandlers implements blog.user.v1.UserService. */
export function userHandlers(profiles: Profiles): Handlers<typeof user.UserServiceService> {
  return {
    async getUser(request) {
      const { userId } = validate(getUserRequest, request);
      return { user: toUserMessage(await profiles.get(userId)) };
    },
    async updateUser(request) {
      const { userId, nickname, bio } = validate(updateUserSchema, request);
      return { user: toUserMessage(await profiles.update(userId, { nickname, bio })) };
    },
  };
}

/** toUserMessage maps a stored profile to the contract's User. */
export function toUserMessage(profile: Profile): user.User {
  return {
    userId: profile.userId,
    nickname: profile.nickname,
    bio: profile.bio,
    createdAt: profile.createdAt.toISOString(),
  };
}
