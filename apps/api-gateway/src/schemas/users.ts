// Users: profile responses and updates, mapped from blog.user.v1.
import { FieldRules, type user } from '@blog/proto';
import { Type } from 'typebox';
import { Nickname } from './accounts';
import { isoTime, ruleString, Timestamp, Uuid } from './common';

/** User is a public profile. */
export const User = Type.Object({
  userId: Uuid,
  nickname: Type.String(),
  bio: Type.String(),
  createdAt: Timestamp,
});

/** UpdateUserBody changes the caller's nickname or bio. */
export const UpdateUserBody = Type.Object(
  { nickname: Type.Optional(Nickname), bio: Type.Optional(ruleString(FieldRules.bio)) },
  { additionalProperties: false },
);

/** toUser maps a user.v1.User. */
export function toUser(profile: user.User) {
  return {
    userId: profile.userId,
    nickname: profile.nickname,
    bio: profile.bio,
    createdAt: isoTime(profile.createdAt),
  };
}
