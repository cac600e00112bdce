// Stored profiles to the gRPC contract: times become ISO strings.
import type { user } from '@blog/proto';
import type { Profile } from './domain/profile';

/** toApiUser renders a profile as blog.user.v1.User. */
export function toApiUser(profile: Profile): user.User {
  return {
    userId: profile.userId,
    nickname: profile.nickname,
    bio: profile.bio,
    createdAt: profile.createdAt.toISOString(),
  };
}
