// Every service's entry, in start order. `npx nx g @blog/tools:service <name>` adds its line here.
import type { ServiceEntry } from '../entry';
import { auth } from './auth';
import { blog } from './blog';
import { post } from './post';
import { subscribe } from './subscribe';
import { user } from './user';
import { visitor } from './visitor';

/** serviceEntries are the domain services in start order (the gateway starts after them). */
export const serviceEntries: readonly ServiceEntry[] = [
  auth,
  user,
  blog,
  post,
  visitor,
  subscribe,
  // generator: new services go above this line
];
