// user: user profiles.
import { defineService } from '../entry';

/** user is the catalog entry of the user service (schema `users`: `user` is a reserved word). */
export const user = defineService({
  name: 'user',
  summary: 'User profiles.',
  schema: 'users',
  grpcPort: 7052,
  adminPort: 9102,
  consumes: ['events.auth.account', 'events.blog.blog'],
  callers: ['api-gateway'],
});
