// Request rules of the user RPCs, as zod schemas whose issue paths are the request's field names, so
// INVALID_ARGUMENT names the field the caller has to fix. Nickname and bio follow the shared field rules.
import { ruleField } from '@blog/framework';
import { FieldRules } from '@blog/proto';
import { z } from 'zod';

const uuid = z.uuid({ error: 'must be a UUID' });

/** getUserRequest validates GetUser. */
export const getUserRequest = z.object({ userId: uuid });

/** updateUserRequest validates UpdateUser; violations name the fields (userId, nickname, bio). */
export const updateUserRequest = z.object({
  userId: uuid,
  nickname: ruleField(FieldRules.nickname).optional(),
  bio: ruleField(FieldRules.bio).optional(),
});
