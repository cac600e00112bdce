// The events the user service consumes and the fields its handlers read (sign-up and deletion sagas); the pacts
// this writes are verified against auth's and blog's real outboxes (docs/contracts.md).
import { exampleId, Interactions, match, messageContracts } from '@blog/testing/contracts';

const { uuid, like, regex } = match;

messageContracts('user', [
  {
    provider: 'auth',
    event: 'AccountCreated',
    description: Interactions.auth.accountCreated,
    content: { accountId: uuid(exampleId(1)), nickname: like('alice_1'), blogSlug: like('alice-1') },
  },
  {
    provider: 'auth',
    event: 'AccountDeletionRequested',
    description: Interactions.auth.accountDeletionRequested,
    content: { accountId: uuid(exampleId(2)) },
  },
  {
    provider: 'blog',
    event: 'BlogRejected',
    description: Interactions.blog.blogRejected,
    content: { ownerId: uuid(exampleId(3)), reason: regex('^BLOG_SLUG_TAKEN$', 'BLOG_SLUG_TAKEN') },
  },
]);
